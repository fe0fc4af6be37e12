"""Uploads and files over real HTTP, against a live backend writing real files to disk.

Each rule of SECURITY.md's "Files" section has its test here: who may upload, what may be uploaded,
the size limit while a body streams in, metadata stripped, thumbnails, signed URLs, the headers
files are served with, and what deleting a message does to its files.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from PIL import ExifTags, Image

from chat import file_urls
from chat.auth import mint_token
from jatte.processes import ChildServer

from .files_for_tests import Answer, fetch, image_bytes, jpeg_with_gps, options, post_upload
from .peers import Peer, connect_peer, watch
from .servers import BACKEND_DIR, BackendProcess, free_port

LIMIT = 2 * 1024 * 1024  # the test server's JATTE_UPLOAD_MAX_BYTES


@dataclass
class Files:
    """The live backend, where it keeps its database and its files."""

    server: BackendProcess
    root: Path
    env: dict[str, str]

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def media(self) -> Path:
        return self.root / "media"

    def stored_files(self) -> set[str]:
        return {str(p.relative_to(self.media)) for p in self.media.rglob("*") if p.is_file()}

    def db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.root / "chat.sqlite3", timeout=20)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Files]:
    root = tmp_path_factory.mktemp("files")
    env = {
        "DATABASE_URL": f"sqlite:///{root / 'chat.sqlite3'}",
        "JATTE_DATA_DIR": str(root),
        "JATTE_MEDIA_ROOT": str(root / "media"),
        "JATTE_STORAGE": "filesystem",
        "JATTE_UPLOAD_MAX_BYTES": str(LIMIT),
        "JATTE_PUBLIC_URL": "",
    }
    server = BackendProcess(env, root / "server.log", server="uvicorn").start()
    yield Files(server, root, env)
    server.stop()


async def _ask(peer: Peer, frame: dict[str, Any]) -> dict[str, Any]:
    request_id = uuid.uuid4().hex[:12]
    await peer.socket.send(json.dumps({**frame, "request_id": request_id}))
    return await peer.answer(request_id)


async def _channel(files: Files, *members: str) -> str:
    """A new messaging channel alice creates with the members (alice and bob by default)."""
    cid = f"messaging:files-{uuid.uuid4().hex[:8]}"
    alice = await connect_peer(files.server, "alice")
    await watch(alice, cid, data={"members": list(members or ("alice", "bob"))})
    await alice.close()
    return cid


async def _post(
    files: Files, user: str, cid: str, attachments: list[dict[str, Any]], text: str = "look"
) -> dict[str, Any]:
    peer = await connect_peer(files.server, user)
    try:
        return await _ask(peer, {"type": "message.new", "cid": cid, "text": text, "attachments": attachments})
    finally:
        await peer.close()


def _upload(files: Files, cid: str, kind: str, name: str, content: bytes, **extra: Any) -> Answer:
    extra.setdefault("token", mint_token("alice", "Alice"))
    return post_upload(files.port, cid, kind, name, content, **extra)


def _uploaded(files: Files, cid: str, kind: str, name: str, content: bytes, **extra: Any) -> dict[str, Any]:
    answer = _upload(files, cid, kind, name, content, **extra)
    assert answer.status == 200, answer.body
    return answer.json()


def _image(answer: Answer) -> Image.Image:
    assert answer.status == 200, answer.body
    return Image.open(io.BytesIO(answer.body))


def _with_query(url: str, **changes: str | None) -> str:
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


# Uploading: what may be uploaded, by whom.


@pytest.mark.parametrize(
    ("kind", "name", "mime", "frames"),
    [
        ("JPEG", "photo.jpg", "image/jpeg", 1),
        ("PNG", "diagram.png", "image/png", 1),
        ("GIF", "still.gif", "image/gif", 1),
        ("GIF", "moving.gif", "image/gif", 3),
        ("WEBP", "sticker.webp", "image/webp", 1),
    ],
)
async def test_upload_image_accepts_each_allowed_type_and_serves_it_with_a_thumbnail(
    files: Files, kind: str, name: str, mime: str, frames: int
) -> None:
    cid = await _channel(files)
    answer = _uploaded(files, cid, "image", name, image_bytes(kind, (64, 48), frames=frames))
    assert set(answer) == {"file", "thumb_url"}
    original = fetch(files.port, answer["file"])
    assert original.headers["content-type"] == mime
    served = _image(original)
    assert (served.format, served.size) == (kind, (64, 48))
    assert getattr(served, "n_frames", 1) == frames  # an animation stays animated
    thumb = _image(fetch(files.port, answer["thumb_url"]))
    assert thumb.format == "JPEG" and thumb.size == (64, 48)


@pytest.mark.parametrize(
    ("name", "content", "declared", "served_type"),
    [
        (
            "report.pdf",
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n",
            "application/pdf",
            "application/pdf",
        ),
        ("notes.txt", b"plain words\n", "text/plain", "text/plain"),
        ("data.csv", b"a,b\n1,2\n", "", "text/csv"),
        ("page.html", b"<script>alert(document.cookie)</script>", "text/html", "text/html"),
    ],
)
async def test_upload_file_accepts_a_file_and_serves_it_as_a_download_of_its_stored_type(
    files: Files, name: str, content: bytes, declared: str, served_type: str
) -> None:
    cid = await _channel(files)
    answer = _uploaded(files, cid, "file", name, content, content_type=declared or "application/octet-stream")
    assert set(answer) == {"file"}
    served = fetch(files.port, answer["file"])
    assert served.status == 200 and served.body == content
    if declared:
        assert served.headers["content-type"] == served_type
    assert served.headers["content-disposition"].startswith("attachment;")
    assert name in served.headers["content-disposition"]
    assert served.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in served.headers["content-security-policy"]


async def test_upload_accepts_the_raw_token_as_streams_sdk_sends_it_and_a_bearer_token(files: Files) -> None:
    cid = await _channel(files)
    token = mint_token("alice", "Alice")
    for header in (token, f"Bearer {token}", f"bearer {token}"):
        assert _upload(files, cid, "file", "a.txt", b"x", token=header).status == 200


@pytest.mark.parametrize("token", [None, "", "not-a-jwt", "Bearer "])
async def test_upload_without_a_valid_token_is_refused_with_401(files: Files, token: str | None) -> None:
    cid = await _channel(files)
    answer = _upload(files, cid, "file", "a.txt", b"x", token=token)
    assert answer.status == 401
    assert answer.json()["code"] == "unauthenticated"


async def test_upload_with_an_expired_token_is_refused_with_401_token_expired(files: Files) -> None:
    cid = await _channel(files)
    answer = _upload(files, cid, "file", "a.txt", b"x", token=mint_token("alice", ttl_seconds=-10))
    assert (answer.status, answer.json()["code"]) == (401, "token_expired")


async def test_upload_by_a_user_who_is_not_a_member_is_refused_with_403(files: Files) -> None:
    cid = await _channel(files)
    before = files.stored_files()
    answer = _upload(files, cid, "image", "x.png", image_bytes("PNG"), token=mint_token("carol"))
    assert answer.status == 403
    assert answer.json()["code"] == "not_allowed"
    assert files.stored_files() == before  # nothing was kept


async def test_upload_by_a_banned_member_is_refused_with_403_naming_the_ban(files: Files) -> None:
    cid = await _channel(files)
    with files.db() as db:
        channel_pk = db.execute("SELECT id FROM chat_channel WHERE cid = ?", (cid,)).fetchone()[0]
        db.execute(
            "INSERT INTO chat_ban (user_id, channel_id, reason, created_at) VALUES (?, ?, ?, ?)",
            ("bob", channel_pk, "spam", "2026-01-01 00:00:00"),
        )
    answer = _upload(files, cid, "file", "a.txt", b"x", token=mint_token("bob"))
    assert answer.status == 403
    assert answer.json()["code"] == "not_allowed" and "banned" in answer.json()["message"]


async def test_upload_to_a_channel_type_that_does_not_exist_is_refused_with_404(files: Files) -> None:
    answer = _upload(files, "nosuch:room", "file", "a.txt", b"x")
    assert (answer.status, answer.json()["code"]) == (404, "unknown_channel_type")


@pytest.mark.parametrize(
    ("name", "content", "declared"),
    [
        ("cat.png", b"<!doctype html><html><script>alert(1)</script></html>", "image/png"),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml",
        ),
        ("scan.bmp", b"BM" + b"\0" * 60, "image/bmp"),
        ("empty.jpg", b"", "image/jpeg"),
    ],
)
async def test_upload_image_judges_the_content_not_the_name_and_refuses_others_with_415(
    files: Files, name: str, content: bytes, declared: str
) -> None:
    cid = await _channel(files)
    answer = _upload(files, cid, "image", name, content, content_type=declared)
    assert answer.status == 415, answer.body
    assert answer.json()["code"] == "file_type_not_allowed"


async def test_upload_image_refuses_a_truncated_image_with_415(files: Files) -> None:
    cid = await _channel(files)
    whole = image_bytes("PNG", (300, 300))
    answer = _upload(files, cid, "image", "cut.png", whole[: len(whole) // 2])
    assert (answer.status, answer.json()["code"]) == (415, "file_type_not_allowed")


@pytest.mark.parametrize(
    "name", ["setup.exe", "SETUP.EXE", "invoice.pdf.exe", "run.exe. ", "deploy.ps1", "a.bat"]
)
async def test_upload_file_refuses_a_blocked_extension_with_415(files: Files, name: str) -> None:
    cid = await _channel(files)
    answer = _upload(files, cid, "file", name, b"MZ\x90\x00")
    assert answer.status == 415
    assert answer.json()["code"] == "file_type_not_allowed"


async def test_upload_without_the_file_field_is_refused_with_400(files: Files) -> None:
    cid = await _channel(files)
    answer = _upload(files, cid, "file", "a.txt", b"x", field="attachment")
    assert (answer.status, answer.json()["code"]) == (400, "invalid_field")


# The size limit, while the body streams in.


def _stream(
    port: int, cid: str, total: int, chunked: bool, extra: tuple[str, ...] = ()
) -> tuple[int, int, bytes]:
    """POSTs a `total`-byte body in 64 KiB pieces, stopping once an answer arrives. With a declared
    length, the headers go alone first, and the body only if no answer came within 5 s.

    Returns the status, how many bytes had been sent when the answer came, and the answer.
    """
    channel_type, channel_id = cid.split(":")
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    head = [
        f"POST /api/channels/{channel_type}/{channel_id}/file HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        f"Authorization: {mint_token('alice')}",
        "Content-Type: multipart/form-data; boundary=B",
        "Transfer-Encoding: chunked" if chunked else f"Content-Length: {total}",
        *extra,
    ]
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
    answer = bytearray()
    sent_when_answered: list[int] = []
    sent = 0

    def read() -> None:
        while True:
            try:
                data = sock.recv(65536)
            except OSError:
                return
            if not data:
                return
            if not answer:
                sent_when_answered.append(sent)
            answer.extend(data)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if not chunked:
        reader.join(timeout=5)  # a declared length over the limit needs no body to be refused
    piece = b'--B\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n'
    piece = piece.ljust(64 * 1024, b"x")
    try:
        while sent < total and not answer:
            sock.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece)
            sent += len(piece)
            piece = b"x" * len(piece)
    except OSError:  # the server closed the connection after answering
        pass
    reader.join(timeout=30)
    sock.close()
    status = int(bytes(answer).split(b" ", 2)[1]) if answer else 0
    return status, (sent_when_answered or [sent])[0], bytes(answer)


@pytest.fixture(scope="module")
def daphne_files(files: Files, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Files]:
    """The same database and files, served by daphne."""
    server = BackendProcess(
        files.env, tmp_path_factory.mktemp("daphne") / "server.log", server="daphne"
    ).start()
    yield Files(server, files.root, files.env)
    server.stop()


@pytest.mark.parametrize("server", ["uvicorn", "daphne"])
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
async def test_upload_over_the_limit_is_refused_with_413_while_the_body_streams(
    request: pytest.FixtureRequest, server: str, chunked: bool
) -> None:
    """A 200 MiB body against a 2 MiB limit: answered long before it could all arrive."""
    files: Files = request.getfixturevalue("files" if server == "uvicorn" else "daphne_files")
    cid = await _channel(files)
    before = files.stored_files()
    total = 100 * LIMIT
    status, sent, answer = _stream(files.port, cid, total, chunked)
    assert status == 413, answer[:300]
    assert b'"file_too_large"' in answer
    assert sent < total // 4, f"answered only after {sent} of {total} bytes"
    if not chunked:  # a declared length over the limit is refused before any of the body
        assert sent == 0
    assert files.stored_files() == before
    assert _upload(files, cid, "file", "small.txt", b"ok").status == 200  # the server is fine


async def test_upload_of_a_file_just_over_the_limit_is_refused_with_413(files: Files) -> None:
    cid = await _channel(files)
    answer = _upload(files, cid, "file", "big.bin", b"x" * (LIMIT + 1))
    assert (answer.status, answer.json()["code"]) == (413, "file_too_large")
    assert _upload(files, cid, "file", "fits.bin", b"x" * LIMIT).status == 200


# What is served: metadata gone, orientation applied, thumbnails.


async def test_upload_image_strips_exif_and_gps_and_applies_the_orientation(files: Files) -> None:
    cid = await _channel(files)
    sent = jpeg_with_gps((80, 40), orientation=6)  # stored 80x40, to be shown turned: 40x80
    answer = _uploaded(files, cid, "image", "home.jpg", sent, content_type="image/jpeg")
    for url in (answer["file"], answer["thumb_url"]):
        served = fetch(files.port, url)
        for secret in (b"Exif", b"JatteCam", b"secret place", b"shot at home", b"http://ns.adobe.com/xap"):
            assert secret not in served.body, (url, secret)
        image = _image(served)
        assert image.size == (40, 80)
        exif = image.getexif()
        assert not exif.get_ifd(ExifTags.IFD.GPSInfo) and ExifTags.Base.Orientation not in exif
        # Turned, not just re-labelled: the blue band along the top is now down the right side.
        blue, red = image.convert("RGB").getpixel((36, 4)), image.convert("RGB").getpixel((4, 4))
        assert isinstance(blue, tuple) and isinstance(red, tuple)
        assert blue[2] > 150 > blue[0] and red[0] > 150 > red[2], (blue, red)
    message = await _post(files, "alice", cid, [{"type": "image", "image_url": answer["file"]}])
    attachment = message["message"]["attachments"][0]
    assert (attachment["original_width"], attachment["original_height"]) == (40, 80)


async def test_upload_image_strips_png_text_and_exif_chunks(files: Files) -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "51.5N 0.1W")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "JatteCam"
    out = io.BytesIO()
    Image.new("RGBA", (30, 30), (0, 0, 0, 0)).save(out, format="PNG", pnginfo=info, exif=exif.tobytes())
    cid = await _channel(files)
    answer = _uploaded(files, cid, "image", "clear.png", out.getvalue())
    served = fetch(files.port, answer["file"])
    assert b"51.5N" not in served.body and b"JatteCam" not in served.body and b"eXIf" not in served.body
    thumb = _image(fetch(files.port, answer["thumb_url"]))
    assert thumb.format == "PNG" and thumb.mode == "RGBA"  # transparency kept in the thumbnail


@pytest.mark.parametrize(
    ("size", "thumb"),
    [((2000, 1000), (512, 256)), ((600, 1200), (256, 512)), ((100, 50), (100, 50))],
)
async def test_upload_image_thumbnail_fits_512_pixels_and_never_grows(
    files: Files, size: tuple[int, int], thumb: tuple[int, int]
) -> None:
    cid = await _channel(files)
    answer = _uploaded(files, cid, "image", "big.png", image_bytes("PNG", size))
    assert _image(fetch(files.port, answer["thumb_url"])).size == thumb
    assert _image(fetch(files.port, answer["file"])).size == size


# Signed URLs.


async def test_file_url_is_served_only_while_signed_and_unchanged(files: Files) -> None:
    cid = await _channel(files)
    url = _uploaded(files, cid, "image", "x.png", image_bytes("PNG"))["file"]
    assert fetch(files.port, url).status == 200
    signature = parse_qs(urlsplit(url).query)["signature"][0]
    expires = parse_qs(urlsplit(url).query)["expires"][0]
    tampered = {
        "unsigned": file_urls.unsigned(url),
        "no signature": _with_query(url, signature=None),
        "no expiry": _with_query(url, expires=None),
        "signature changed": _with_query(
            url, signature=("0" if signature[0] != "0" else "1") + signature[1:]
        ),
        "expiry moved": _with_query(url, expires=str(int(expires) + 3600)),
        "expiry not a number": _with_query(url, expires="soon"),
        "another file": url.replace("/original/", "/thumb/"),
    }
    for what, bad in tampered.items():
        answer = fetch(files.port, bad)
        assert answer.status == 403, what
        assert answer.json()["code"] == "invalid_signature", what


async def test_file_url_past_its_expiry_is_refused_with_403_signature_expired(files: Files) -> None:
    cid = await _channel(files)
    url = _uploaded(files, cid, "image", "x.png", image_bytes("PNG"))["file"]
    expired = file_urls.sign(file_urls.unsigned(url), now=time.time() - 2 * 86400)
    answer = fetch(files.port, expired)
    assert (answer.status, answer.json()["code"]) == (403, "signature_expired")
    expiry = int(parse_qs(urlsplit(url).query)["expires"][0])
    assert 86400 <= expiry - time.time() <= 86400 + 3600  # 24 h, rounded up to the hour


async def test_image_is_served_inline_with_its_own_type_and_nosniff(files: Files) -> None:
    cid = await _channel(files)
    answer = _uploaded(files, cid, "image", "x.gif", image_bytes("GIF"), content_type="text/html")
    for url, expected in ((answer["file"], "image/gif"), (answer["thumb_url"], "image/jpeg")):
        served = fetch(files.port, url)
        assert served.headers["content-type"] == expected  # never what the uploader declared
        assert served.headers["content-disposition"].startswith("inline")
        assert served.headers["x-content-type-options"] == "nosniff"


async def test_svg_uploaded_as_a_file_is_a_download_that_cannot_run_script(files: Files) -> None:
    cid = await _channel(files)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    answer = _uploaded(files, cid, "file", "logo.svg", svg, content_type="image/svg+xml")
    served = fetch(files.port, answer["file"])
    assert served.headers["content-type"] == "image/svg+xml"
    assert served.headers["content-disposition"].startswith("attachment;")
    assert served.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in served.headers["content-security-policy"]


# CORS: exactly the origins ALLOWED_ORIGINS allows.


async def test_upload_preflight_from_an_allowed_origin_allows_the_post(files: Files) -> None:
    cid = await _channel(files)
    path = f"/api/channels/{cid.replace(':', '/')}/image"
    answer = options(files.port, path, "http://localhost:3000")
    assert answer.status == 204
    assert answer.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert "authorization" in answer.headers["access-control-allow-headers"].lower()
    assert "POST" in answer.headers["access-control-allow-methods"]
    posted = _upload(files, cid, "file", "a.txt", b"x", origin="http://localhost:3000")
    assert posted.status == 200
    assert posted.headers["access-control-allow-origin"] == "http://localhost:3000"


async def test_upload_from_an_origin_not_allowed_is_refused_without_cors_headers(files: Files) -> None:
    cid = await _channel(files)
    path = f"/api/channels/{cid.replace(':', '/')}/file"
    preflight = options(files.port, path, "https://evil.example")
    assert preflight.status == 403 and "access-control-allow-origin" not in preflight.headers
    posted = _upload(files, cid, "file", "a.txt", b"x", origin="https://evil.example")
    assert (posted.status, posted.json()["code"]) == (403, "origin_not_allowed")
    assert "access-control-allow-origin" not in posted.headers


async def test_upload_refused_over_the_limit_still_tells_an_allowed_page_why(files: Files) -> None:
    cid = await _channel(files)
    status, _, answer = _stream(files.port, cid, 2 * LIMIT, False, ("Origin: http://127.0.0.1:3000",))
    assert status == 413
    assert b"access-control-allow-origin: http://127.0.0.1:3000" in answer.lower()


# Attachments in messages.


async def test_message_attachment_carries_the_uploads_own_urls_size_and_type(files: Files) -> None:
    cid = await _channel(files)
    answer = _uploaded(files, cid, "image", "cat.jpg", image_bytes("JPEG", (120, 90)))
    lie = {
        "type": "image",
        "image_url": answer["file"],
        "thumb_url": "https://elsewhere.example/thumb.png",
        "file_size": 1,
        "mime_type": "text/html",
        "original_width": 1,
    }
    sent = await _post(files, "alice", cid, [lie])
    assert sent["type"] == "message.sent", sent
    (attachment,) = sent["message"]["attachments"]
    assert attachment["mime_type"] == "image/jpeg" and attachment["file_size"] > 1
    assert (attachment["original_width"], attachment["original_height"], attachment["title"]) == (
        120,
        90,
        "cat.jpg",
    )
    assert "elsewhere" not in attachment["thumb_url"]
    bob = await connect_peer(files.server, "bob")
    state = await watch(bob, cid)
    found = await _ask(bob, {"type": "messages.search", "filter_conditions": {"cid": cid}, "query": "look"})
    await bob.close()
    (seen,) = state["messages"][-1]["attachments"]
    assert _image(fetch(files.port, seen["image_url"])).size == (120, 90)
    assert _image(fetch(files.port, seen["thumb_url"])).size == (120, 90)
    (hit,) = found["results"][0]["message"]["attachments"]  # a search answer is signed too
    assert "signature=" in hit["image_url"] and fetch(files.port, hit["image_url"]).status == 200
    with files.db() as db:
        stored = json.loads(
            db.execute(
                "SELECT attachments FROM chat_message WHERE message_id = ?", (sent["message"]["id"],)
            ).fetchone()[0]
        )
    assert "signature" not in json.dumps(stored)  # stored unsigned, signed in every answer


async def test_every_answer_signs_the_files_afresh(files: Files) -> None:
    """A message sent with an expired URL is stored by the upload it names; readers get fresh URLs."""
    cid = await _channel(files)
    url = _uploaded(files, cid, "file", "plan.txt", b"the plan")["file"]
    stale = file_urls.sign(file_urls.unsigned(url), now=time.time() - 3 * 86400)
    assert fetch(files.port, stale).status == 403
    sent = await _post(files, "alice", cid, [{"type": "file", "asset_url": stale}])
    bob = await connect_peer(files.server, "bob")
    state = await watch(bob, cid)
    await bob.close()
    fresh = state["messages"][-1]["attachments"][0]["asset_url"]
    assert fresh != stale and fetch(files.port, fresh).body == b"the plan"
    assert sent["message"]["attachments"][0]["asset_url"] != stale


async def test_message_attachment_of_another_users_upload_is_refused(files: Files) -> None:
    cid = await _channel(files)
    url = _uploaded(files, cid, "file", "mine.txt", b"alice's")["file"]
    answer = await _post(files, "bob", cid, [{"type": "file", "asset_url": url}])
    assert answer["type"] == "error" and answer["code"] == "invalid_attachment", answer


async def test_message_attachment_of_an_upload_to_another_channel_is_refused(files: Files) -> None:
    here, there = await _channel(files), await _channel(files)
    url = _uploaded(files, there, "file", "elsewhere.txt", b"x")["file"]
    answer = await _post(files, "alice", here, [{"type": "file", "asset_url": url}])
    assert answer["type"] == "error" and answer["code"] == "invalid_attachment", answer


async def test_message_attachment_already_attached_is_refused(files: Files) -> None:
    cid = await _channel(files)
    url = _uploaded(files, cid, "file", "once.txt", b"x")["file"]
    assert (await _post(files, "alice", cid, [{"type": "file", "asset_url": url}]))["type"] == "message.sent"
    again = await _post(files, "alice", cid, [{"type": "file", "asset_url": url}])
    assert again["type"] == "error" and again["code"] == "invalid_attachment"
    twice = _uploaded(files, cid, "file", "twice.txt", b"x")["file"]
    both = await _post(files, "alice", cid, [{"type": "file", "asset_url": twice}] * 2)
    assert both["type"] == "error" and both["code"] == "invalid_attachment"


async def test_message_with_more_than_30_attachments_is_refused_by_the_schema(files: Files) -> None:
    cid = await _channel(files)
    link = {"type": "file", "asset_url": "https://example.com/a.pdf"}
    answer = await _post(files, "alice", cid, [link] * 31)
    assert answer["type"] == "error" and answer["code"] == "invalid_field", answer
    assert (await _post(files, "alice", cid, [link] * 30))["type"] == "message.sent"


async def test_message_of_attachments_alone_is_sent_and_edited_without_text(files: Files) -> None:
    """Stream's rule: text, attachments or both; blank text alone is `empty_text`, whichever the frame."""
    cid = await _channel(files)
    url = _uploaded(files, cid, "image", "alone.png", image_bytes("PNG"))["file"]
    alice = await connect_peer(files.server, "alice")
    try:
        image = {"type": "image", "image_url": url}
        sent = await _ask(alice, {"type": "message.new", "cid": cid, "attachments": [image]})
        assert sent["type"] == "message.sent", sent
        assert sent["message"]["text"] == "" and len(sent["message"]["attachments"]) == 1
        blank = await _ask(alice, {"type": "message.new", "cid": cid, "text": "  ", "attachments": []})
        assert blank["type"] == "error" and blank["code"] == "empty_text", blank
        nothing = await _ask(alice, {"type": "message.new", "cid": cid})
        assert nothing["type"] == "error" and nothing["code"] == "empty_text", nothing

        worded = await _ask(alice, {"type": "message.new", "cid": cid, "text": "caption"})
        kept = sent["message"]["attachments"]
        edit = {"type": "message.update", "message": {"id": worded["message"]["id"], "text": ""}}
        refused = await _ask(alice, edit)
        assert refused["type"] == "error" and refused["code"] == "empty_text", refused
        alone = {"id": sent["message"]["id"], "text": ""}
        edit = {"type": "message.update", "message": {**alone, "attachments": kept}}
        assert (await _ask(alice, edit))["type"] == "message.updated"
        emptied = await _ask(alice, {"type": "message.update", "message": {**alone, "attachments": []}})
        assert emptied["type"] == "error" and emptied["code"] == "empty_text", emptied
    finally:
        await alice.close()
    bob = await connect_peer(files.server, "bob")
    state = await watch(bob, cid)
    await bob.close()
    shown = {m["id"]: m for m in state["messages"]}
    assert (
        shown[sent["message"]["id"]]["text"] == "" and len(shown[sent["message"]["id"]]["attachments"]) == 1
    )
    assert shown[worded["message"]["id"]]["text"] == "caption"


# Deleting.


async def _attached(files: Files, cid: str) -> tuple[dict[str, Any], dict[str, Any]]:
    answer = _uploaded(files, cid, "image", "gone.png", image_bytes("PNG"))
    sent = await _post(files, "alice", cid, [{"type": "image", "image_url": answer["file"]}])
    return answer, sent["message"]


async def test_hard_delete_removes_the_files_from_storage(files: Files) -> None:
    cid = await _channel(files)
    before = files.stored_files()
    answer, message = await _attached(files, cid)
    added = files.stored_files() - before
    assert len(added) == 2  # the image and its thumbnail
    alice = await connect_peer(files.server, "alice")
    deleted = await _ask(alice, {"type": "message.delete", "id": message["id"], "hard": True})
    await alice.close()
    assert deleted["type"] == "message.deleted" and deleted["hard_delete"] is True
    assert not (files.stored_files() & added)
    assert fetch(files.port, answer["file"]).status == 404


async def test_soft_delete_stops_serving_the_files(files: Files) -> None:
    cid = await _channel(files)
    answer, message = await _attached(files, cid)
    assert fetch(files.port, answer["file"]).status == 200
    alice = await connect_peer(files.server, "alice")
    deleted = await _ask(alice, {"type": "message.delete", "id": message["id"]})
    await alice.close()
    assert deleted["message"]["attachments"] == []
    for url in (answer["file"], answer["thumb_url"]):
        refused = fetch(files.port, url)
        assert (refused.status, refused.json()["code"]) == (404, "not_found")


async def test_edit_that_drops_an_attachment_removes_its_upload(files: Files) -> None:
    cid = await _channel(files)
    before = files.stored_files()
    kept = _uploaded(files, cid, "file", "kept.txt", b"kept")["file"]
    dropped = _uploaded(files, cid, "file", "dropped.txt", b"dropped")["file"]
    sent = await _post(
        files, "alice", cid, [{"type": "file", "asset_url": kept}, {"type": "file", "asset_url": dropped}]
    )
    first = sent["message"]["attachments"][0]
    alice = await connect_peer(files.server, "alice")
    edited = await _ask(
        alice,
        {
            "type": "message.update",
            "message": {"id": sent["message"]["id"], "text": "one", "attachments": [first]},
        },
    )
    await alice.close()
    assert edited["type"] == "message.updated", edited
    assert [a["title"] for a in edited["message"]["attachments"]] == ["kept.txt"]
    assert fetch(files.port, edited["message"]["attachments"][0]["asset_url"]).body == b"kept"
    assert fetch(files.port, dropped).status == 404
    assert len(files.stored_files() - before) == 1


async def test_purge_removes_uploads_never_attached_after_a_day_and_keeps_the_rest(files: Files) -> None:
    cid = await _channel(files)
    old = _uploaded(files, cid, "file", "old.txt", b"old")["file"]
    fresh = _uploaded(files, cid, "file", "fresh.txt", b"fresh")["file"]
    attached_answer, _ = await _attached(files, cid)
    old_id, attached_id = file_urls.parse(old), file_urls.parse(attached_answer["file"])
    assert old_id and attached_id
    with files.db() as db:  # a day and a minute ago
        for upload_id in (old_id[0], attached_id[0]):
            db.execute(
                "UPDATE chat_upload SET created_at = datetime('now', '-1 day', '-1 minute') WHERE id = ?",
                (upload_id,),
            )
    assert fetch(files.port, old).status == 404  # not served once past its day
    before = files.stored_files()
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "manage.py", "purge_uploads"],
        cwd=BACKEND_DIR,
        env=files.server.env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "removed 1 unattached upload(s)" in done.stdout
    gone = before - files.stored_files()
    assert len(gone) == 1 and old_id[0] in next(iter(gone))
    assert fetch(files.port, fresh).status == 200
    assert fetch(files.port, attached_answer["file"]).status == 200


# Storage: through Django's storage API, wherever it is configured to be.


def test_storage_default_is_the_file_system_under_the_media_root(monkeypatch: pytest.MonkeyPatch) -> None:
    from jatte.settings import MEDIA_ROOT, storage_from_env

    monkeypatch.delenv("JATTE_STORAGE", raising=False)
    assert storage_from_env() == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }


def test_storage_s3_is_configured_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.utils.module_loading import import_string

    from jatte.settings import storage_from_env

    monkeypatch.setenv("JATTE_STORAGE", "s3")
    monkeypatch.setenv("JATTE_S3_BUCKET", "chat-files")
    monkeypatch.setenv("JATTE_S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    monkeypatch.setenv("JATTE_S3_REGION", "eu-west-1")
    monkeypatch.setenv("JATTE_S3_PREFIX", "jatte")
    entry = storage_from_env()
    assert entry["BACKEND"] == "storages.backends.s3.S3Storage"
    assert entry["OPTIONS"] == {
        "bucket_name": "chat-files",
        "file_overwrite": False,
        "default_acl": "private",
        "endpoint_url": "http://127.0.0.1:9000",
        "region_name": "eu-west-1",
        "location": "jatte",
    }
    storage = import_string(entry["BACKEND"])(**entry["OPTIONS"])  # django-storages is installed
    assert storage.bucket_name == "chat-files" and storage.location == "jatte"


def test_storage_names_any_class_or_refuses_what_it_cannot_use(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from jatte.settings import storage_from_env

    monkeypatch.setenv("JATTE_STORAGE", "my.storage.Class")
    monkeypatch.setenv("JATTE_STORAGE_OPTIONS", '{"bucket": "b"}')
    assert storage_from_env() == {"BACKEND": "my.storage.Class", "OPTIONS": {"bucket": "b"}}
    monkeypatch.setenv("JATTE_STORAGE_OPTIONS", "{not json")
    with pytest.raises(ImproperlyConfigured, match="JATTE_STORAGE_OPTIONS"):
        storage_from_env()
    monkeypatch.setenv("JATTE_STORAGE", "s3")
    monkeypatch.delenv("JATTE_S3_BUCKET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="JATTE_S3_BUCKET"):
        storage_from_env()
    monkeypatch.setenv("JATTE_STORAGE", "dropbox")
    with pytest.raises(ImproperlyConfigured, match="JATTE_STORAGE"):
        storage_from_env()


class MotoServer(ChildServer):
    """moto's S3-compatible server on a free port of 127.0.0.1 (a stand-in for S3, MinIO, R2...)."""

    def __init__(self, log: Path) -> None:
        super().__init__("moto", free_port(), log)

    def command(self) -> tuple[list[str], Path, dict[str, str]]:
        return (
            [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(self.port)],
            BACKEND_DIR,
            dict(os.environ),
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="module")
def s3_files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Files, Any]]:
    import boto3  # type: ignore[import-untyped]  # boto3 ships no type hints

    root = tmp_path_factory.mktemp("s3")
    moto = MotoServer(root / "moto.log").start()
    keys = {"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": "us-east-1"}
    bucket = boto3.resource(
        "s3",
        endpoint_url=moto.url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    ).Bucket("jatte-files")
    bucket.create()
    env = {
        "DATABASE_URL": f"sqlite:///{root / 'chat.sqlite3'}",
        "JATTE_DATA_DIR": str(root),
        "JATTE_MEDIA_ROOT": str(root / "media"),
        "JATTE_STORAGE": "s3",
        "JATTE_S3_BUCKET": "jatte-files",
        "JATTE_S3_ENDPOINT_URL": moto.url,
        "JATTE_S3_REGION": "us-east-1",
        "JATTE_S3_PREFIX": "chat",
        "JATTE_UPLOAD_MAX_BYTES": str(LIMIT),
        **keys,
    }
    server = BackendProcess(env, root / "server.log", server="uvicorn").start()
    yield Files(server, root, env), bucket
    server.stop()
    moto.stop()


async def test_storage_s3_holds_uploads_serves_them_and_deletes_them(s3_files: tuple[Files, Any]) -> None:
    files, bucket = s3_files
    cid = await _channel(files)
    answer = _uploaded(files, cid, "image", "pier.png", image_bytes("PNG", (900, 300)))
    stored = sorted(o.key for o in bucket.objects.all())
    assert len(stored) == 2 and all(key.startswith("chat/uploads/") for key in stored), stored
    assert not files.media.exists()  # nothing went to the local disk
    assert _image(fetch(files.port, answer["file"])).size == (900, 300)
    assert _image(fetch(files.port, answer["thumb_url"])).size == (512, 171)
    _, message = await _attached_in(files, cid, answer)
    alice = await connect_peer(files.server, "alice")
    await _ask(alice, {"type": "message.delete", "id": message["id"], "hard": True})
    await alice.close()
    assert sorted(o.key for o in bucket.objects.all()) == []
    assert fetch(files.port, answer["file"]).status == 404


async def _attached_in(
    files: Files, cid: str, answer: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    sent = await _post(files, "alice", cid, [{"type": "image", "image_url": answer["file"]}])
    assert sent["type"] == "message.sent", sent
    return answer, sent["message"]


@pytest.mark.django_db
def test_upload_where_the_channel_type_turns_uploads_off_is_refused_with_403(client: Any) -> None:
    """The channel type's `uploads` flag takes upload-file away (permissions), in the Django app."""
    from chat.models import Channel, ChatUser, Member
    from chat.services.permissions import CHANNEL_CONFIGS

    alice = ChatUser.objects.create(id="alice", name="Alice")
    channel = Channel.objects.create(cid="team:quiet", type="team", channel_id="quiet", created_by=alice)
    Member.objects.create(channel=channel, user=alice, is_owner=True)
    CHANNEL_CONFIGS["team"]["uploads"] = False
    try:
        refused = client.post(
            "/api/channels/team/quiet/file",
            {"file": io.BytesIO(b"x")},
            headers={"Authorization": f"Bearer {mint_token('alice')}"},
        )
    finally:
        CHANNEL_CONFIGS["team"]["uploads"] = True
    assert refused.status_code == 403
    assert refused.json()["code"] == "feature_disabled"
