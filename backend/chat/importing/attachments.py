"""Attachments of imported messages: held to Jatte's Attachment shape, and optionally fetched.

Stream's attachments carry fields Jatte's schema has no place for (link previews' `og_scrape_url`,
`author_name`, giphy sizes, custom keys) and types it does not know (`giphy`, `link`): the fields
go, an unknown type is left out, the URLs stay as they are. Stream's CDN URLs are signed and
expire; `--fetch-attachments` downloads each one into Jatte's storage (MEDIA_ROOT, by default
<JATTE_DATA_DIR>/media/imports/) and points the attachment at the copy.
"""

from __future__ import annotations

import hashlib
import posixpath
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from pydantic import ValidationError

from chat import frames

__all__ = ["URL_FIELDS", "Fetcher", "clean"]

_FIELDS = frozenset(frames.Attachment.model_fields)
URL_FIELDS = ("asset_url", "image_url", "thumb_url")
MAX_BYTES = 100 * 1024 * 1024  # Stream's upload limit: nothing bigger was stored there
TIMEOUT = 30.0


def clean(attachments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The attachments as Jatte's Attachment shape holds them (what it lacks is left out)."""
    kept: list[dict[str, Any]] = []
    for attachment in attachments:
        fields = {k: v for k, v in attachment.items() if k in _FIELDS and v is not None}
        while True:
            try:
                model = frames.Attachment.model_validate(fields)
                break
            except ValidationError as error:  # leave out each field that does not fit, then retry
                wrong = {str(p["loc"][0]) for p in error.errors(include_url=False) if p["loc"]}
                fields = {k: v for k, v in fields.items() if k not in wrong} if wrong else {}
        shaped = model.model_dump(mode="json", exclude_none=True)
        if shaped:
            kept.append(shaped)
    return kept


class Fetcher:
    """Downloads attachment files into Jatte's storage, once per URL (the name is the URL's digest)."""

    def __init__(self) -> None:
        root = settings.MEDIA_ROOT or str(Path(settings.DATA_DIR) / "media")
        base_url = settings.MEDIA_URL if settings.MEDIA_URL not in ("", "/") else "/media/"
        self.storage = FileSystemStorage(location=root, base_url=base_url)
        self._done: dict[str, str] = {}

    def fetch(self, url: str) -> str:
        """The storage URL of the file at `url`; raises OSError when it cannot be fetched."""
        if url in self._done:
            return self._done[url]
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in {"http", "https"}:
            raise OSError(f"{url!r} is not an http(s) URL")
        digest = hashlib.sha256(url.encode()).hexdigest()[:32]
        base = posixpath.basename(parts.path) or "file"
        name = f"imports/{digest}/{base[-100:]}"
        if not self.storage.exists(name):
            try:
                with urllib.request.urlopen(url, timeout=TIMEOUT) as answer:
                    body = answer.read(MAX_BYTES + 1)
            except (urllib.error.URLError, TimeoutError, ValueError) as failure:
                raise OSError(f"could not fetch {url}: {failure}") from None
            if len(body) > MAX_BYTES:
                raise OSError(f"{url} is larger than {MAX_BYTES // (1024 * 1024)} MB")
            name = self.storage.save(name, ContentFile(body))
        self._done[url] = self.storage.url(name)
        return self._done[url]

    def rewrite(self, attachments: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
        """The attachments pointing at fetched copies, and what could not be fetched."""
        problems: list[str] = []
        rewritten = []
        for attachment in attachments:
            copy = dict(attachment)
            for key in URL_FIELDS:
                url = copy.get(key)
                if isinstance(url, str) and url:
                    try:
                        copy[key] = self.fetch(url)
                    except OSError as failure:
                        problems.append(str(failure))
            rewritten.append(copy)
        return rewritten, problems
