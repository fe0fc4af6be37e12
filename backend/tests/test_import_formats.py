"""Reading Stream's files: which format a file is, its values one at a time with their line
numbers, and what a broken file gives."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from chat.importing import formats
from chat.importing.formats import Source

from .stream_files import EXPORT_V1, IMPORT_JSONL, LEGACY_JSON


def _read(
    text: str | bytes, chunk: int | None = None, monkeypatch: pytest.MonkeyPatch | None = None
) -> tuple[str, list[Source]]:
    if chunk is not None and monkeypatch is not None:
        monkeypatch.setattr(formats, "_CHUNK", chunk)
    stream = io.BytesIO(text.encode() if isinstance(text, str) else text)
    form = formats.detect(stream)
    return form, list(formats.read(stream, form))


def test_detect_names_each_format() -> None:
    assert _read(IMPORT_JSONL)[0] == "jsonl"
    assert _read(LEGACY_JSON)[0] == "legacy"
    assert _read(json.dumps(EXPORT_V1, indent=2))[0] == "export-v1"
    assert _read(json.dumps([EXPORT_V1]))[0] == "export-v1"
    assert _read(json.dumps(EXPORT_V1) + "\n" + json.dumps(EXPORT_V1))[0] == "export-v1"
    assert _read("not json at all\n")[0] == "jsonl"  # each line then fails on its own
    assert _read("\ufeff" + IMPORT_JSONL)[0] == "jsonl"


def test_jsonl_gives_each_line_with_its_number_and_skips_blank_ones() -> None:
    _, sources = _read('{"a": 1}\n\n{"b": 2}\n')
    assert [(s.line, s.shape, s.value) for s in sources] == [
        (1, "line", b'{"a": 1}\n'),
        (3, "line", b'{"b": 2}\n'),
    ]


@pytest.mark.parametrize("chunk", [7, 64, 1 << 20])
def test_legacy_array_gives_each_element_with_the_line_it_starts_on(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """However the file falls into chunks, each element arrives whole, with its first line."""
    _, sources = _read(LEGACY_JSON, chunk, monkeypatch)
    assert [(s.line, s.value["type"]) for s in sources] == [
        (2, "user"),
        (3, "user"),
        (4, "channel"),
        (8, "member"),
        (9, "message"),
        (16, "message"),
        (17, "reaction"),
        (18, "reel"),
    ]
    assert all(s.shape == "legacy" for s in sources)


@pytest.mark.parametrize("chunk", [5, 1 << 20])
def test_channel_export_streams_members_and_messages_one_by_one(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, sources = _read(json.dumps([EXPORT_V1, EXPORT_V1], indent=1), chunk, monkeypatch)
    shapes = [s.shape for s in sources]
    one = ["channel", "member", "member", "message", "message", "message"]
    assert shapes == one + one
    assert sources[3].value["id"] == "m1" and sources[3].line > sources[0].line


def test_channel_export_reads_a_message_array_before_the_channel_in_the_order_given() -> None:
    reordered = {"messages": EXPORT_V1["messages"], "channel": EXPORT_V1["channel"]}
    _, sources = _read(json.dumps(reordered))
    assert [s.shape for s in sources] == ["message", "message", "message", "channel"]


def test_a_broken_array_ends_the_reading_with_the_line_it_broke_on() -> None:
    broken = '[\n  {"type": "user", "item": {"id": "a"}},\n  {"type": "user", "item": {"id": \n  ]\n'
    _, sources = _read(broken)
    assert [(s.shape, s.line) for s in sources] == [("legacy", 2), ("error", 4)]
    assert sources[-1].value.startswith("bad JSON")


def test_a_document_with_something_after_its_end_says_so() -> None:
    _, sources = _read('[{"type": "user", "item": {"id": "a"}}]\n]')
    assert sources[-1].shape == "error" and "after the end of the document" in sources[-1].value


def test_the_reader_holds_one_value_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A channel export of 20,000 messages is read with a buffer of a few chunks, not the file."""
    monkeypatch.setattr(formats, "_CHUNK", 4096)
    message = EXPORT_V1["messages"][0]
    path = tmp_path / "big.json"
    with path.open("w") as out:
        out.write('{"channel": ' + json.dumps(EXPORT_V1["channel"]) + ', "messages": [')
        out.write(",\n".join(json.dumps({**message, "id": f"m{n}"}) for n in range(20_000)))
        out.write("]}")
    stream, raw = formats.open_file(path)
    reader = formats._JsonReader(stream)
    reader.expect("{")
    largest = 0
    count = 0
    for _ in iter(lambda: reader.peek(), ""):
        _, key = reader.value()
        reader.expect(":")
        if key == "messages":
            reader.expect("[")
            for _line, _value in reader.elements():
                count += 1
                largest = max(largest, len(reader._buffer))
        else:
            reader.value()
        if reader.peek() == ",":
            reader.expect(",")
        if reader.peek() == "}":
            break
    raw.close()
    assert count == 20_000
    assert path.stat().st_size > 5_000_000 and largest < 3 * 4096 + 2000
