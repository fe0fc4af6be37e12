"""Where a server's time goes: py-spy samples of a running process, summarised for BENCHMARKS.md."""

from __future__ import annotations

import asyncio
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from servers import PY

__all__ = ["Profile", "component_of", "py_spy", "record"]

RATE = 200  # samples per second

# Leaf frames grouped by the component they belong to, first match wins.
COMPONENTS: list[tuple[str, tuple[str, ...]]] = [
    ("Jatte chat app (backend/chat)", ("/backend/chat/",)),
    ("Django ORM + sqlite3/psycopg", ("/django/db/", "/psycopg/", "sqlite3/")),
    ("pydantic (frames, validation, JSON)", ("/pydantic/", "/pydantic_core/")),
    ("asgiref thread hops (sync_to_async)", ("/asgiref/", "concurrent/futures/")),
    ("channels", ("/channels/",)),
    ("channels-redis / redis-py", ("/channels_redis/", "/redis/")),
    ("daphne / twisted / autobahn", ("/daphne/", "/twisted/", "/autobahn/", "/txaio/", "/zope/")),
    ("uvicorn / websockets protocol", ("/uvicorn/", "/websockets/", "/httptools/")),
    ("asyncio / uvloop", ("/asyncio/", "uvloop")),
    ("json (stdlib)", ("/json/",)),
    ("PyJWT", ("/jwt/",)),
    ("Django (other)", ("/django/",)),
    ("logging", ("/logging/",)),
    ("threading / queue", ("threading.py", "queue.py")),
]

FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")
# Frames every stack has: the loop, the thread bootstrap. Listing them inclusive says nothing.
PLUMBING = (
    "threading.py",
    "base_events.py",
    "events.py",
    "thread.py",
    "<string>",
    "runpy.py",
    "serve.py",
    "cli.py",
    "server.py",
    "main.py",
    "base.py",
    "posixbase.py",
    "epollreactor.py",
    "asyncioreactor.py",
)


def py_spy() -> str | None:
    """The py-spy executable next to this Python, or on PATH."""
    beside = Path(PY).parent / "py-spy"
    return str(beside) if beside.exists() else shutil.which("py-spy")


@dataclass
class Profile:
    """Samples of one process over `seconds`, by thread, by component and by function."""

    seconds: float
    samples: int = 0
    threads: Counter[str] = field(default_factory=Counter)
    components: Counter[str] = field(default_factory=Counter)
    inclusive: Counter[str] = field(default_factory=Counter)
    leaves: Counter[str] = field(default_factory=Counter)

    def core_share(self, count: int) -> float:
        """Samples as a share of one core over the recording."""
        return count / (RATE * self.seconds) if self.seconds else 0.0

    def summary(self, top: int = 8) -> list[str]:
        """Markdown lines: threads busy, time by component, and the heaviest functions."""
        if not self.samples:
            return ["(no samples)"]
        busy = ", ".join(f"{name} {self.core_share(n):.0%}" for name, n in self.threads.most_common(4))
        lines = [f"- CPU by thread (share of one core): {busy}"]
        parts = ", ".join(f"{name} {n / self.samples:.0%}" for name, n in self.components.most_common(top))
        lines.append(f"- time by component (leaf frames): {parts}")
        heavy = ", ".join(f"`{name}` {n / self.samples:.0%}" for name, n in self.inclusive.most_common(top))
        lines.append(f"- heaviest functions (inclusive): {heavy}")
        leaves = ", ".join(f"`{name}` {n / self.samples:.0%}" for name, n in self.leaves.most_common(top))
        lines.append(f"- hottest leaf functions (self): {leaves}")
        return lines


def component_of(path: str) -> str:
    """The component (COMPONENTS) a source file belongs to."""
    for name, needles in COMPONENTS:
        if any(needle in path for needle in needles):
            return name
    return "other"


def _short(function: str, path: str) -> str:
    tail = "/".join(path.split("/")[-2:]) if "/" in path else path
    return f"{tail}:{function.rpartition('<locals>.')[2]}"


def parse(raw: str, seconds: float) -> Profile:
    profile = Profile(seconds=seconds)
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        parts = stack.split(";")
        thread = parts[0].partition(": ")[2] or parts[0]
        thread = re.sub(r"_\d+$", "", thread.split(" (")[0])  # ThreadPoolExecutor-0_3 -> one bucket
        frames = [m for m in (FRAME.match(p) for p in parts[1:]) if m]
        profile.samples += count
        profile.threads[thread] += count
        if not frames:
            continue
        leaf = frames[-1]
        profile.components[component_of(leaf["file"])] += count
        profile.leaves[_short(leaf["function"], leaf["file"])] += count
        seen: set[str] = set()
        for frame in frames:
            path = frame["file"]
            if path.endswith(PLUMBING) or frame["function"] in {"<module>", "run", "_bootstrap"}:
                continue
            # The app and the ORM; the hop machinery (asgiref, channels.db) wraps every database call.
            if not any(k in path for k in ("/backend/chat/", "/django/db/")):
                continue
            name = _short(frame["function"], path)
            if name not in seen:
                seen.add(name)
                profile.inclusive[name] += count
    return profile


async def record(pid: int, seconds: float, output: Path) -> Profile | None:
    """Samples `pid` for `seconds` without pausing it; None when py-spy is missing or refused."""
    executable = py_spy()
    if executable is None:
        return None
    process = await asyncio.create_subprocess_exec(
        executable,
        "record",
        "--pid",
        str(pid),
        "--duration",
        str(max(1, round(seconds))),
        "--rate",
        str(RATE),
        "--format",
        "raw",
        "--threads",
        "--full-filenames",
        "--nonblocking",
        "--output",
        str(output),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await process.communicate()
    return await asyncio.to_thread(_read, output, process.returncode or 0, err, max(1, round(seconds)))


def _read(output: Path, returncode: int, err: bytes, seconds: float) -> Profile | None:
    if returncode or not output.exists():
        output.with_suffix(".err").write_bytes(err)
        return None
    return parse(output.read_text(errors="replace"), seconds)
