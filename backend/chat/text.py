"""U+0000 kept out of every string the server takes in: PostgreSQL can store none in text or jsonb
(psycopg refused the whole statement), so neither database is given one. It is taken as U+FFFD,
the replacement character: a string keeps its length (a one-character reaction type stays one
character) and shows that something was there.

An import file's lines have the escape `\\u0000` replaced before they are parsed
(`nul_escapes_replaced`); values parsed already, a client frame's among them, have the character
replaced (`nul_replaced`). A raw NUL byte is no JSON at all, and is refused as such.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["REPLACEMENT", "nul_escapes_replaced", "nul_replaced"]

REPLACEMENT = "\ufffd"

# The escape where its backslash is not itself escaped: an even run of backslashes before it.
_ESCAPE_BYTES = re.compile(rb"(?<!\\)((?:\\\\)*)\\u0000")


def nul_escapes_replaced(text: bytes) -> bytes:
    """UTF-8 JSON whose strings hold U+FFFD where they held U+0000."""
    return _ESCAPE_BYTES.sub(rb"\1\\ufffd", text) if b"\\u0000" in text else text


def nul_replaced(value: Any) -> Any:
    """A parsed JSON value with U+FFFD for U+0000 in every string in it, keys included."""
    if isinstance(value, str):
        return value.replace("\x00", REPLACEMENT)
    if isinstance(value, list):
        return [nul_replaced(item) for item in value]
    if isinstance(value, dict):
        return {nul_replaced(k): nul_replaced(v) for k, v in value.items()}
    return value
