"""Generate the Pydantic models and the TypeScript types from schema/frames.schema.json.

`python tools/codegen.py` rewrites both files; `--check` writes nothing and exits 1 naming every
stale file. Both generators are deterministic, so "stale" means "differs byte for byte".
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["TARGETS", "generate", "main"]

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "schema" / "frames.schema.json"
PY_OUT = ROOT / "backend" / "chat" / "frames.py"
TS_OUT = ROOT / "libs" / "chat-shim" / "frames.ts"
TARGETS = (PY_OUT, TS_OUT)
COMMAND = "tools/dev codegen"
HEADER = f"GENERATED from schema/frames.schema.json by `{COMMAND}`. DO NOT EDIT."


def _bin(name: str, *places: Path) -> str:
    for place in places:
        candidate = place / name
        if candidate.exists():
            return str(candidate)
    raise SystemExit(f"codegen: {name} not found in {', '.join(map(str, places))}; run `tools/dev setup`")


def _python(out: Path) -> None:
    venv_bins = (Path(sys.executable).parent, ROOT / ".venv" / "bin")
    with tempfile.TemporaryDirectory() as neutral:  # no pyproject.toml here to steer its formatter
        models = subprocess.run(
            [
                _bin("datamodel-codegen", *venv_bins),
                "--input",
                str(SCHEMA),
                "--input-file-type",
                "jsonschema",
                "--output-model-type",
                "pydantic_v2.BaseModel",
                "--use-annotated",
                "--field-constraints",
                "--use-title-as-name",
                "--collapse-root-models",
                "--skip-root-model",
                "--use-one-literal-as-default",
                "--disable-timestamp",
                "--target-python-version",
                "3.11",
                "--use-double-quotes",
                "--formatters",
                "builtin",
                "--custom-file-header",
                f"# {HEADER}",
            ],
            check=True,
            capture_output=True,
            cwd=neutral,
        ).stdout
    # Held to the repository's own format, so ruff and the diff agree on one spelling.
    formatted = subprocess.run(
        [_bin("ruff", *venv_bins), "format", "--stdin-filename", str(PY_OUT), "-"],
        input=models,
        check=True,
        capture_output=True,
        cwd=ROOT,
    ).stdout
    out.write_bytes(formatted)


# json2ts emits only the definitions a frame reaches; these are used by code, not by a frame.
TS_STANDALONE = ("CloseCode",)


def _typescript(out: Path) -> None:
    exe = _bin("json2ts", ROOT / "node_modules" / ".bin")

    def json2ts(schema: Path, banner: str) -> str:
        done = subprocess.run(
            [exe, "-i", str(schema), "--bannerComment", banner], check=True, capture_output=True
        )
        return done.stdout.decode()

    parts = [json2ts(SCHEMA, f"/* {HEADER} */")]
    definitions = json.loads(SCHEMA.read_text())["$defs"]
    with tempfile.TemporaryDirectory() as tmp:
        for name in TS_STANDALONE:
            piece = Path(tmp) / f"{name}.json"
            piece.write_text(json.dumps(definitions[name]))
            parts.append(json2ts(piece, ""))
    out.write_text("".join(parts))


def generate(directory: Path | None = None) -> dict[Path, Path]:
    """Write every generated file (into `directory` instead of the tree when given)."""
    written: dict[Path, Path] = {}
    for target, make in ((PY_OUT, _python), (TS_OUT, _typescript)):
        out = directory / target.name if directory else target
        make(out)
        written[target] = out
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if a generated file is stale")
    args = parser.parse_args(argv)
    if not args.check:
        for target in generate():
            print(f"codegen: wrote {target.relative_to(ROOT)}")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        stale = [
            target
            for target, fresh in generate(Path(tmp)).items()
            if not target.exists() or target.read_bytes() != fresh.read_bytes()
        ]
    for target in stale:
        print(f"{target.relative_to(ROOT)} is out of date; run `{COMMAND}`", file=sys.stderr)
    if not stale:
        print("codegen: every generated file matches schema/frames.schema.json")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
