"""The example frames in schema/examples/ are valid against the schema and the generated models."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from chat import frames

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"
SCHEMA: dict[str, Any] = json.loads((SCHEMA_DIR / "frames.schema.json").read_text())
EXAMPLES = sorted((SCHEMA_DIR / "examples").glob("*/*/*.json"))
UNIONS: dict[str, tuple[str, type[frames.ClientFrame] | type[frames.ServerFrame]]] = {
    "client": ("ClientFrame", frames.ClientFrame),
    "server": ("ServerFrame", frames.ServerFrame),
}


def _types(union: str) -> set[str]:
    names = [ref["$ref"].rsplit("/", 1)[1] for ref in SCHEMA["$defs"][union]["oneOf"]]
    return {SCHEMA["$defs"][name]["properties"]["type"]["const"] for name in names}


def test_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("side", sorted(UNIONS))
def test_every_frame_type_has_an_example(side: str) -> None:
    union, _ = UNIONS[side]
    have = {path.parent.name for path in EXAMPLES if path.parts[-3] == side}
    assert have == _types(union)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: "/".join(p.parts[-3:-1]))
def test_example_validates_against_schema_and_generated_model(path: Path) -> None:
    side, kind = path.parts[-3], path.parent.name
    union, model = UNIONS[side]
    example = json.loads(path.read_text())
    assert example["type"] == kind
    jsonschema.validate(example, {**SCHEMA, "$ref": f"#/$defs/{union}"}, cls=jsonschema.Draft202012Validator)
    parsed = model.model_validate(example).root
    assert json.loads(parsed.model_dump_json(exclude_none=True)) == example
