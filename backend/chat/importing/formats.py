"""Which of Stream's formats a file is, and its records one at a time, in constant memory.

- `jsonl`: Stream's import format, one `{"type", "data"}` a line (read line by line; each line
  is parsed and validated by Pydantic in one step).
- `legacy`: the same records as a JSON array of `{"type", "item"}` (or of `{"type", "data"}`).
- `export-v1`: Stream's channel export, `{"channel", "members", "messages"}` objects: one, an
  array of them, or one a line. `members` and `messages` are read one element at a time, so a
  channel of any size needs the memory of one message.

A gzip-compressed file (`.gz`, or the gzip magic bytes) is read through gzip.
"""

from __future__ import annotations

import codecs
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from chat.text import nul_replaced

__all__ = ["FORMATS", "Source", "detect", "open_file", "read"]

FORMATS = {
    "jsonl": "Stream import format (JSON Lines)",
    "legacy": "Stream import format, legacy JSON array",
    "export-v1": "Stream channel export (v1)",
}
_CHUNK = 1 << 20  # characters read at a time by the streaming JSON reader
_HEAD = 1 << 16  # bytes read to tell the formats apart
_MAX_VALUE = 64 << 20  # characters one value (a message, a member) may take before it is refused
_EXPORT_KEYS = {"channel", "members", "messages"}


@dataclass(slots=True)
class Source:
    """One value of the file: where it starts, what it is, and the value itself.

    `shape` is `line` (raw bytes of a JSONL line), `record` / `legacy` (a parsed import record),
    `channel` / `member` / `message` (parts of a channel export) or `error` (`value` says why).
    """

    line: int
    shape: str
    value: Any


class BadJson(Exception):
    """Raised when a JSON document cannot be read any further; `line` is where it went wrong."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def open_file(path: Path) -> tuple[IO[bytes], IO[bytes]]:
    """The file to read (decompressed if need be) and the raw file under it (for progress)."""
    raw = path.open("rb")
    magic = raw.read(2)
    raw.seek(0)
    if magic == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw), raw  # type: ignore[return-value]
    return raw, raw


def detect(stream: IO[bytes]) -> str:
    """The format of the file, from its first bytes (the stream is left at its start)."""
    head = stream.read(_HEAD)
    stream.seek(0)
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    if text.startswith("["):
        rest = text[1:].lstrip()
        if rest.startswith("{") and _first_key(rest) in _EXPORT_KEYS:
            return "export-v1"
        return "legacy"
    if text.startswith("{") and _first_key(text) in _EXPORT_KEYS:
        return "export-v1"
    return "jsonl"


def _first_key(text: str) -> str | None:
    try:
        key, _ = json.JSONDecoder().raw_decode(text[1:].lstrip())
    except json.JSONDecodeError:
        return None
    return key if isinstance(key, str) else None


def read(stream: IO[bytes], form: str) -> Iterator[Source]:
    """The file's values in order. A JSON array or object that breaks ends the reading with one
    `error` source; a broken JSONL line is one `line` source that fails validation on its own."""
    if form == "jsonl":
        for number, line in enumerate(stream, start=1):
            if line.strip():
                yield Source(number, "line", line)
        return
    reader = _JsonReader(stream)
    try:
        if form == "legacy":
            yield from _records(reader)
        else:
            yield from _exports(reader)
    except BadJson as broken:
        yield Source(broken.line, "error", broken.reason)


def _records(reader: _JsonReader) -> Iterator[Source]:
    reader.expect("[")
    for line, value in reader.elements():
        shape = "legacy" if isinstance(value, dict) and "item" in value else "record"
        yield Source(line, shape, value)
    reader.end()


def _exports(reader: _JsonReader) -> Iterator[Source]:
    if reader.peek() == "[":
        reader.expect("[")
        while reader.peek() != "]":
            yield from _export(reader)
            if reader.peek() == ",":
                reader.expect(",")
        reader.expect("]")
        reader.end()
        return
    while reader.peek() != "":
        yield from _export(reader)


def _export(reader: _JsonReader) -> Iterator[Source]:
    """One channel of the export, its members and messages streamed element by element."""
    reader.expect("{")
    while reader.peek() != "}":
        key_line, key = reader.value()
        if not isinstance(key, str):
            raise BadJson(key_line, "an object key must be a string")
        reader.expect(":")
        if key in {"members", "messages"} and reader.peek() == "[":
            reader.expect("[")
            for line, value in reader.elements():
                yield Source(line, key[:-1], value)
        else:
            line, value = reader.value()
            if key == "channel":
                yield Source(line, "channel", value)
        if reader.peek() == ",":
            reader.expect(",")
    reader.expect("}")


class _JsonReader:
    """Reads JSON values one at a time from a stream, counting lines, holding one value in memory."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._json = json.JSONDecoder()
        self._buffer = ""
        self._pos = 0
        self._line = 1  # the line of _buffer[_pos]
        self._counted = 0  # _buffer[:_counted] has been counted into _line
        self._eof = False
        self._more()
        if self._buffer.startswith("\ufeff"):
            self._pos = self._counted = 1

    def _more(self) -> bool:
        if self._eof:
            return False
        chunk = self._stream.read(_CHUNK)
        if not chunk:
            self._eof = True
            self._buffer += self._decoder.decode(b"", final=True)
            return False
        if self._pos > _CHUNK:  # drop what has been read
            self._sync()
            self._buffer = self._buffer[self._pos :]
            self._pos = self._counted = 0
        self._buffer += self._decoder.decode(chunk)
        return True

    def _sync(self) -> None:
        self._line += self._buffer.count("\n", self._counted, self._pos)
        self._counted = self._pos

    def line(self) -> int:
        self._sync()
        return self._line

    def peek(self) -> str:
        """The next character that is not white space ('' at the end of the file)."""
        while True:
            while self._pos < len(self._buffer) and self._buffer[self._pos] in " \t\r\n":
                self._pos += 1
            if self._pos < len(self._buffer):
                return self._buffer[self._pos]
            if not self._more():
                return ""

    def expect(self, char: str) -> None:
        found = self.peek()
        if found != char:
            raise BadJson(
                self.line(), f"bad JSON: expected {char!r}, found {found or 'the end of the file'!r}"
            )
        self._pos += 1

    def end(self) -> None:
        found = self.peek()
        if found:
            raise BadJson(self.line(), f"bad JSON: {found!r} after the end of the document")

    def value(self) -> tuple[int, Any]:
        """The next value and the line it starts on."""
        self.peek()
        line = self.line()
        while True:
            try:
                value, end = self._json.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError as error:
                # Cut off by the end of the buffer, or really broken: more text tells them apart.
                if len(self._buffer) - self._pos < _MAX_VALUE and self._more():
                    continue
                first_line = self.line() - self._buffer.count("\n", 0, self._pos)
                raise BadJson(first_line + error.lineno - 1, f"bad JSON: {error.msg}") from None
            if end == len(self._buffer) and not self._eof and self._more():
                continue  # a number or literal may go on in the next chunk
            if self._buffer.find("\\u0000", self._pos, end) != -1:
                value = nul_replaced(value)  # PostgreSQL stores no U+0000 (chat.text)
            self._pos = end
            return line, value

    def elements(self) -> Iterator[tuple[int, Any]]:
        """The elements of the array whose `[` was just read, and its `]`."""
        if self.peek() == "]":
            self._pos += 1
            return
        while True:
            yield self.value()
            following = self.peek()
            if following == "]":
                self._pos += 1
                return
            self.expect(",")
