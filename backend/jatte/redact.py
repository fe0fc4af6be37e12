"""Keeps access tokens out of every log: query parameters that carry one, and anything shaped like a JWT.

`install()` redacts each Python log record as it is made (Django's, daphne's, uvicorn's and ours),
whatever handlers and formatters the process configures; `jatte.serve` also redacts daphne's access
log, which daphne writes without the logging module.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any

__all__ = ["REDACTED", "install", "redact"]

REDACTED = "[redacted]"

# `?token=` is how the shim connects; `authorization=` is how Stream's SDK does.
_SECRET_PARAM = re.compile(r"(?i)([?&;](?:token|access_token|authorization)=)[^&;\s\"'#]*")
# A signed JWT: base64url `{"...` header and payload, then the signature.
_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")


def redact(text: str) -> str:
    """`text` with every token parameter's value and every JWT replaced by `[redacted]`."""
    if "=" not in text and "eyJ" not in text:
        return text  # the common case, answered without a regex
    return _JWT.sub(REDACTED, _SECRET_PARAM.sub(rf"\1{REDACTED}", text))


def _redact_arg(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if value is None or isinstance(value, int | float | bool | bytes):
        return value
    text = str(value)
    cleaned = redact(text)
    return value if cleaned == text else cleaned


def _redact_record(record: logging.LogRecord) -> None:
    if isinstance(record.msg, str):
        record.msg = redact(record.msg)
    if isinstance(record.args, tuple):
        record.args = tuple(_redact_arg(arg) for arg in record.args)
    elif isinstance(record.args, dict):
        record.args = {key: _redact_arg(arg) for key, arg in record.args.items()}
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        # Formatters reuse exc_text when it is set, so the traceback is redacted once, here.
        record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
    if record.stack_info:
        record.stack_info = redact(record.stack_info)


_installed = False


def install() -> None:
    """Redacts every log record this process makes from now on (idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    make_record = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        _redact_record(record)
        return record

    logging.setLogRecordFactory(factory)
