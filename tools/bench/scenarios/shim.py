"""The shim's size: esbuild bundles of the shim and of stream-chat, minified and gzipped (no server)."""

from __future__ import annotations

import asyncio
import gzip
import json
import subprocess
from typing import Any

from runner import Bench, Scenario, say
from servers import REPO, BenchError

__all__ = ["SCENARIO"]


def shim_sizes() -> dict[str, dict[str, Any]]:
    esbuild = REPO / "node_modules" / ".bin" / "esbuild"
    if not esbuild.exists():
        raise BenchError(f"{esbuild} is missing: run `tools/dev setup`")
    options = [
        "--bundle",
        "--minify",
        "--format=esm",
        "--platform=browser",
        "--target=es2022",
        "--log-level=error",
    ]
    # The repo's tsconfig maps "stream-chat" to the shim (the seed's alias): the SDK is bundled without it.
    builds = {
        "Jatte shim (libs/chat-shim/index.ts)": [
            str(esbuild),
            str(REPO / "libs" / "chat-shim" / "index.ts"),
            *options,
        ],
        f"stream-chat {package_version('stream-chat')} browser build (import {{ StreamChat }})": [
            str(esbuild),
            *options,
            "--loader=js",
            "--tsconfig-raw={}",
        ],
    }
    sizes: dict[str, dict[str, Any]] = {}
    for name, command in builds.items():
        entry = b"" if "index.ts" in command[1] else b'export { StreamChat } from "stream-chat";'
        done = subprocess.run(command, input=entry, cwd=REPO, capture_output=True, check=False)
        if done.returncode:
            raise BenchError(f"esbuild failed for {name}: {done.stderr.decode(errors='replace')[-500:]}")
        gzipped = len(gzip.compress(done.stdout, compresslevel=9, mtime=0))
        sizes[name] = {
            "minified_kib": len(done.stdout) / 1024,
            "gzip_kib": gzipped / 1024,
            "gzip_bytes": gzipped,
        }
    return sizes


def package_version(name: str) -> str:
    try:
        return str(json.loads((REPO / "node_modules" / name / "package.json").read_text())["version"])
    except (OSError, ValueError, KeyError):
        return "(not installed)"


async def run(bench: Bench) -> None:
    say("shim: esbuild bundles, minified and gzipped")
    try:
        bench.results["shim"] = await asyncio.to_thread(shim_sizes)
    except (BenchError, OSError) as failure:
        bench.results["shim"] = {"error": {"error": str(failure)[:300]}}
    for name, figures in bench.results["shim"].items():
        say(f"shim: {name}: {figures}")


SCENARIO = Scenario("shim", run)
