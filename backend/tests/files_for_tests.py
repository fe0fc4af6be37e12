"""Uploads over real HTTP for the tests: multipart bodies, images made with Pillow, fetching files."""

from __future__ import annotations

import http.client
import io
import json
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from PIL import ExifTags, Image

__all__ = ["Answer", "fetch", "image_bytes", "jpeg_with_gps", "multipart", "options", "post_upload"]


@dataclass
class Answer:
    """An HTTP answer: status, headers (lower-case names) and body."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.body)
        return loaded


def multipart(field: str, filename: str, content: bytes, content_type: str) -> tuple[bytes, str]:
    """A multipart/form-data body holding one file, and its Content-Type header."""
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n"
    ).encode()
    return head + content + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def _request(
    port: int, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> Answer:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        reply = connection.getresponse()
        return Answer(reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read())
    finally:
        connection.close()


def post_upload(
    port: int,
    cid: str,
    kind: str,
    filename: str,
    content: bytes,
    content_type: str = "application/octet-stream",
    token: str | None = None,
    origin: str | None = None,
    field: str = "file",
) -> Answer:
    """POSTs a file to /api/channels/{type}/{id}/{kind}, as Stream's SDK does (raw token)."""
    body, form_type = multipart(field, filename, content, content_type)
    headers = {"Content-Type": form_type}
    if token is not None:
        headers["Authorization"] = token
    if origin is not None:
        headers["Origin"] = origin
    channel_type, channel_id = cid.split(":")
    return _request(port, "POST", f"/api/channels/{channel_type}/{channel_id}/{kind}", body, headers)


def fetch(port: int, url: str, method: str = "GET", headers: dict[str, str] | None = None) -> Answer:
    """GETs a file URL (its path and query) from the backend on `port`."""
    parts = urlsplit(url)
    return _request(port, method, parts.path + (f"?{parts.query}" if parts.query else ""), None, headers)


def options(port: int, path: str, origin: str) -> Answer:
    """A CORS preflight for a POST with Authorization from `origin`."""
    return _request(
        port,
        "OPTIONS",
        path,
        None,
        {
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization",
        },
    )


def image_bytes(kind: str, size: tuple[int, int] = (64, 48), mode: str = "RGB", frames: int = 1) -> bytes:
    """An image of `kind` (a Pillow format name) drawn in two colours, so orientation shows."""
    out = io.BytesIO()
    images = []
    for n in range(frames):
        image = Image.new(mode, size, (200, 30 + n * 40, 30) if mode == "RGB" else None)
        image.paste((20, 20, 220) if mode == "RGB" else 1, (0, 0, size[0] // 2, size[1] // 4))
        images.append(image)
    if frames > 1:
        images[0].save(out, format=kind, save_all=True, append_images=images[1:], duration=80, loop=0)
    else:
        images[0].save(out, format=kind)
    return out.getvalue()


def jpeg_with_gps(size: tuple[int, int] = (80, 40), orientation: int = 6) -> bytes:
    """A JPEG whose EXIF says where it was taken (GPS) and that it is to be shown rotated."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "JatteCam"
    exif[ExifTags.Base.ImageDescription] = "secret place"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((20, 20, 220), (0, 0, size[0] // 2, size[1] // 4))
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"shot at home")
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo), "the fixture has GPS"
    return data
