"""The boundary: every client frame type of the schema has a handler, and parsing is strict."""

from __future__ import annotations

import json
import typing
from pathlib import Path

from chat import frames
from chat.consumers import ChatConsumer
from chat.protocol import ClientFrameModel, parse_client_frame

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "schema" / "frames.schema.json").read_text())


def _client_types() -> set[str]:
    refs = [v["$ref"].rsplit("/", 1)[1] for v in SCHEMA["$defs"]["ClientFrame"]["oneOf"]]
    return {SCHEMA["$defs"][name]["properties"]["type"]["const"] for name in refs}


def test_every_client_frame_type_has_exactly_one_handler() -> None:
    assert set(ChatConsumer.handlers) == _client_types()


def test_parse_union_matches_the_generated_client_frame() -> None:
    generated = typing.get_args(frames.ClientFrame.model_fields["root"].annotation)
    assert set(typing.get_args(ClientFrameModel)) == set(generated)


def test_parse_client_frame_takes_nul_as_the_replacement_character_but_in_the_request_id() -> None:
    text, request_id = "a\x00b \\u0000 \\\x00", "r\x00"
    raw = json.dumps(
        {"type": "message.new", "cid": "messaging:x", "text": text, "id": "a1", "request_id": request_id}
    )
    frame = parse_client_frame(raw)
    assert isinstance(frame, frames.ClientMessageNew)
    assert (frame.text, frame.id, frame.request_id) == ("a\ufffdb \\u0000 \\\ufffd", "a1", "r\x00")


def test_parse_client_frame_returns_the_typed_model() -> None:
    frame = parse_client_frame('{"type": "message.new", "cid": "messaging:x", "text": "hi", "id": "a1"}')
    assert isinstance(frame, frames.ClientMessageNew)
    assert (frame.cid, frame.text, frame.id) == ("messaging:x", "hi", "a1")
