"""Uploads: files and images posted to a channel over HTTP, attached to messages, served, removed.

- `upload`: who may upload (`upload-file` in the channel, asked of chat.services.permissions), what
  may be uploaded (an image Pillow recognises as JPEG, PNG, GIF or WebP for /image, whatever its
  name says; any file but a blocked extension for /file), and what is stored: an image re-encoded
  with its EXIF orientation applied and its metadata (EXIF, GPS, XMP, comments) left behind, plus a
  thumbnail. Everything goes through Django's default storage, by name, never by path.
- `claim` / `attach` / `reattach`: a message names an upload by its URL; the upload must be of the
  same channel, the sender's own and not attached elsewhere; the stored attachment then carries
  the server's own URLs, size, type and dimensions, whatever the client said.
- `open_file`: a signed URL (chat.file_urls) in, the file out with the type it was stored with,
  unless its message was soft-deleted.
- `discard_of_message` (hard delete), `purge_unattached` (housekeeping): rows and files go.
"""

from __future__ import annotations

import io
import mimetypes
import re
import unicodedata
import uuid
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from chat import file_urls, frames
from chat.auth import Actor
from chat.exceptions import (
    ChatError,
    FileTooLarge,
    FileTypeRefused,
    InvalidAttachment,
    NotAllowed,
    NotFound,
)
from chat.frames import ErrorCode
from chat.models import Message, Upload
from chat.services import permissions
from chat.services.channels import access_channel
from chat.services.users import sign_in

__all__ = [
    "IMAGE_TYPES",
    "MAX_PIXELS",
    "THUMB_SIZE",
    "Claims",
    "Served",
    "attach",
    "claim",
    "discard_of_message",
    "mark_attached",
    "open_file",
    "purge_unattached",
    "reattach",
    "upload",
]

# The images /image takes, by Pillow's format name, and the type each is served as.
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
INLINE_TYPES = frozenset(IMAGE_TYPES.values())  # served inline; everything else as a download
THUMB_SIZE = (512, 512)  # a thumbnail fits in this box
MAX_PIXELS = 50_000_000  # an image's pixels (all frames of an animation together) Pillow may decode
_SAFE = re.compile(r"[^A-Za-z0-9._()-]+")
_MIME = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")


# Uploading.


def upload(
    actor: Actor,
    cid: str,
    kind: str,
    read: Callable[[], File[Any] | None],
    base_url: str,
) -> frames.UploadResponse:
    """Stores the file `read()` returns (called once the actor may upload) and answers its URLs."""
    ref = access_channel(actor, cid)
    user = sign_in(actor)
    if user.deactivated_at is not None:
        raise NotAllowed(f"user {actor.id!r} is deactivated")
    permissions.standing(actor, ref.pk, ref.cid, ref.type).require("upload-file", "upload files")
    incoming = read()
    if incoming is None:
        raise ChatError("send the file in the multipart field `file`", ErrorCode.invalid_field)
    limit: int = settings.JATTE_UPLOAD_MAX_BYTES
    if incoming.size is not None and incoming.size > limit:
        raise FileTooLarge(f"the file is over the {limit}-byte limit")
    raw_name = str(incoming.name or "")
    upload_id = uuid.uuid4().hex
    safe = _safe_name(raw_name)
    if kind == Upload.Kind.IMAGE:
        prepared = _image(incoming)
        stem = safe.rsplit(".", 1)[0] if "." in safe else safe
        names = _save(
            upload_id,
            (f"{stem}.{prepared.extension}", prepared.body),
            (f"thumb.{prepared.thumb_extension}", prepared.thumb),
        )
        row = Upload(
            kind=kind,
            mime_type=IMAGE_TYPES[prepared.format],
            size=len(prepared.body),
            width=prepared.width,
            height=prepared.height,
            file=names[0],
            thumb=names[1],
        )
    else:
        _refuse_blocked(raw_name)
        names = _save(upload_id, (safe, incoming))
        row = Upload(
            kind=kind,
            mime_type=_declared_type(incoming, safe),
            size=incoming.size or default_storage.size(names[0]),
            file=names[0],
        )
    row.id, row.channel_id, row.user = upload_id, ref.pk, user
    row.name, row.base_url, row.created_at = _display_name(raw_name), base_url, timezone.now()
    try:
        row.save(force_insert=True)
    except BaseException:
        _delete_files(names)
        raise
    return frames.UploadResponse(
        file=file_urls.sign(_url(row, "original")),
        thumb_url=file_urls.sign(_url(row, "thumb")) if row.thumb else None,
    )


@dataclass(frozen=True, slots=True)
class _Prepared:
    """An image as it will be served: re-encoded without metadata, and its thumbnail."""

    format: str
    extension: str
    body: bytes
    width: int
    height: int
    thumb: bytes
    thumb_extension: str


def _image(incoming: File[Any]) -> _Prepared:
    """Checks that the file is an allowed image by its content and prepares what is served."""
    allowed = ", ".join(IMAGE_TYPES)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            incoming.seek(0)
            image = Image.open(incoming)
            kind = image.format or ""
            if kind not in IMAGE_TYPES:
                raise FileTypeRefused(f"{kind or 'this file'} is not an image /image takes ({allowed})")
            frames_count = getattr(image, "n_frames", 1)
            if image.width * image.height * frames_count > MAX_PIXELS:
                raise FileTooLarge(
                    f"the image has {image.width}x{image.height} pixels in {frames_count} frame(s),"
                    f" over the {MAX_PIXELS:,} an upload may have"
                )
            image.load()
            body, width, height = _clean(image, kind)
            thumb, thumb_extension = _thumbnail(image)
    except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise FileTypeRefused(f"this file is not an image /image takes ({allowed}): {exc}") from None
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or corrupt image data
        raise FileTypeRefused(f"this image could not be decoded: {exc}") from None
    extension = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}[kind]
    return _Prepared(kind, extension, body, width, height, thumb, thumb_extension)


# What survives re-encoding: the pixels, and how to show them (transparency, an animation's timing).
_KEEP_INFO = ("transparency", "duration", "loop", "background")


def _plain(frame: Image.Image) -> Image.Image:
    """A copy of the frame without the metadata Pillow would write back (EXIF, XMP, comments...)."""
    copy = frame.copy()
    copy.info = {key: frame.info[key] for key in _KEEP_INFO if key in frame.info}
    return copy


def _clean(image: Image.Image, kind: str) -> tuple[bytes, int, int]:
    """The image re-encoded in its own format: orientation applied, metadata gone."""
    out = io.BytesIO()
    options: dict[str, Any] = {"exif": b"", "xmp": b""}
    if getattr(image, "is_animated", False):
        frames = [_plain(frame) for frame in ImageSequence.Iterator(image)]
        first = frames[0]
        durations = [frame.info.get("duration", 100) for frame in frames]
        extra = {"loop": image.info.get("loop", 0), "duration": durations}
        if kind == "GIF":
            extra["comment"] = b""
        first.save(out, format=kind, save_all=True, append_images=frames[1:], **options, **extra)
        return out.getvalue(), first.width, first.height
    upright = _plain(ImageOps.exif_transpose(image))
    if kind == "JPEG":
        if upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
        options.update(quality=92)
    elif kind == "GIF":
        options = {"comment": b""}
    elif kind == "WEBP":
        options.update(quality=90)
    upright.save(out, format=kind, **options)
    return out.getvalue(), upright.width, upright.height


def _thumbnail(image: Image.Image) -> tuple[bytes, str]:
    """The first frame, upright, within THUMB_SIZE: JPEG, or PNG when it has transparency."""
    image.seek(0)
    thumb = ImageOps.exif_transpose(image)
    thumb.info = {}
    transparent = thumb.mode in ("RGBA", "LA", "PA") or (thumb.mode == "P" and "transparency" in image.info)
    thumb = thumb.convert("RGBA" if transparent else "RGB")
    thumb.thumbnail(THUMB_SIZE)
    out = io.BytesIO()
    if transparent:
        thumb.save(out, format="PNG")
        return out.getvalue(), "png"
    thumb.save(out, format="JPEG", quality=85)
    return out.getvalue(), "jpg"


def _refuse_blocked(raw_name: str) -> None:
    blocked: list[str] = settings.JATTE_UPLOAD_BLOCKED_EXTENSIONS
    # Windows ignores trailing dots and spaces: "setup.exe. " runs as setup.exe.
    name = raw_name.replace("\\", "/").rsplit("/", 1)[-1].rstrip(". ").lower()
    extension = name.rsplit(".", 1)[1] if "." in name else ""
    if extension and extension in {b.lower().lstrip(".") for b in blocked}:
        raise FileTypeRefused(f".{extension} files may not be uploaded (JATTE_UPLOAD_BLOCKED_EXTENSIONS)")


def _safe_name(raw_name: str) -> str:
    """A storage- and URL-safe version of the uploader's file name: letters, digits, `._()-`."""
    base = unicodedata.normalize("NFKD", raw_name.replace("\\", "/").rsplit("/", 1)[-1])
    ascii_name = base.encode("ascii", "ignore").decode()
    safe = _SAFE.sub("_", ascii_name).strip("._") or "file"
    if len(safe) > 100:
        stem, dot, extension = safe.rpartition(".")
        safe = (stem[: 99 - len(extension)] + dot + extension) if dot and len(extension) < 20 else safe[:100]
    return safe


def _display_name(raw_name: str) -> str:
    """The file name as people read it (an attachment's default title): no path, no control characters."""
    base = raw_name.replace("\\", "/").rsplit("/", 1)[-1]
    shown = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return shown[:255] or "file"


def _declared_type(incoming: File[Any], name: str) -> str:
    """The type the uploader declared when it is a well-formed one, else the name's, else binary."""
    declared = str(getattr(incoming, "content_type", "") or "").split(";")[0].strip().lower()
    if _MIME.match(declared):
        return declared
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def _save(upload_id: str, *files: tuple[str, bytes | File[Any]]) -> list[str]:
    """Saves the upload's files under one prefix; returns the names the storage gave them."""
    names: list[str] = []
    try:
        for name, content in files:
            if isinstance(content, bytes):
                content = ContentFile(content)
            else:
                content.seek(0)
            names.append(default_storage.save(f"uploads/{upload_id[:2]}/{upload_id}-{name}", content))
    except BaseException:
        _delete_files(names)
        raise
    return names


def _delete_files(names: Iterable[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def _url(row: Upload, variant: str) -> str:
    """The upload's unsigned URL: what a message stores."""
    name = row.file if variant == "original" else row.thumb
    return row.base_url + file_urls.file_path(row.id, variant, name.rsplit("/", 1)[-1].split("-", 1)[1])


# Attaching to messages.


Claims = dict[str, Upload]


def claim(attachments: Iterable[Iterable[dict[str, Any]]]) -> Claims:
    """The uploads the attachments (of one or many messages) name, in one query; {} when none."""
    ids = {named[0] for a in _flat(attachments) for named in _named(a)}
    return {u.id: u for u in Upload.objects.filter(id__in=ids)} if ids else {}


def _flat(lists: Iterable[Iterable[dict[str, Any]]]) -> Iterable[dict[str, Any]]:
    for attachments in lists:
        yield from attachments


def _named(attachment: dict[str, Any]) -> list[tuple[str, str]]:
    found = []
    for field in file_urls.URL_FIELDS:
        value = attachment.get(field)
        if isinstance(value, str):
            named = file_urls.parse(value)
            if named is not None:
                found.append(named)
    return found


def attach(
    attachments: Iterable[dict[str, Any]],
    uploads: Claims,
    sender_id: str,
    channel_pk: int,
    taken: set[str],
    message_seq: int | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """The attachments as they are stored, and the ids of the uploads they attach.

    An attachment that names an upload must name one of this channel, the sender's own (or already
    attached to this very message, `message_seq`) and not taken by another message or by another
    attachment (`taken`, which this adds to). Its URLs, size, type and dimensions are the upload's.
    Attachments that name no upload (links, imported files) are kept as they are.
    """
    stored: list[dict[str, Any]] = []
    ids: list[str] = []
    for attachment in attachments:
        named = {upload_id for upload_id, _ in _named(attachment)}
        if not named:
            stored.append(attachment)
            continue
        if len(named) > 1:
            raise InvalidAttachment("an attachment names files of two different uploads")
        (upload_id,) = named
        row = uploads.get(upload_id)
        if row is None:
            raise InvalidAttachment(f"upload {upload_id} does not exist (or was removed)")
        if row.channel_id != channel_pk:
            raise InvalidAttachment(f"upload {upload_id} was made in another channel")
        mine = row.message_id is not None and row.message_id == message_seq
        if not mine and row.message_id is not None:
            raise InvalidAttachment(f"upload {upload_id} is attached to another message")
        if not mine and row.user_id != sender_id:
            raise InvalidAttachment(f"upload {upload_id} is another user's")
        if upload_id in taken:
            raise InvalidAttachment(f"upload {upload_id} is attached twice")
        taken.add(upload_id)
        ids.append(upload_id)
        stored.append(_stored(attachment, row))
    return stored, ids


def _stored(attachment: dict[str, Any], row: Upload) -> dict[str, Any]:
    """The attachment with the upload's own URLs and facts in place of what the client said."""
    shaped = {k: v for k, v in attachment.items() if k not in file_urls.URL_FIELDS}
    image = row.kind == Upload.Kind.IMAGE
    shaped.setdefault("type", "image" if image else "file")
    url_field = "image_url" if shaped["type"] == "image" else "asset_url"
    shaped[url_field] = _url(row, "original")
    if row.thumb:
        shaped["thumb_url"] = _url(row, "thumb")
    shaped.setdefault("title", row.name[:1024])
    shaped.update(mime_type=row.mime_type, file_size=row.size)
    if row.width is not None and row.height is not None:
        shaped.update(original_width=row.width, original_height=row.height)
    return shaped


def mark_attached(message_seq: int, upload_ids: list[str]) -> None:
    """Records that the message attaches the uploads (in the message's transaction)."""
    if upload_ids:
        Upload.objects.filter(id__in=upload_ids).update(message_id=message_seq)


def reattach(message: Message, attachments: list[dict[str, Any]], editor_id: str) -> list[dict[str, Any]]:
    """An edit's attachments as stored: new uploads attach, the ones the edit left out are removed."""
    uploads = claim([attachments])
    stored, ids = attach(attachments, uploads, editor_id, message.channel_id, set(), message.seq)
    mark_attached(message.seq, ids)
    dropped = Upload.objects.filter(message_id=message.seq).exclude(id__in=ids)
    _discard(dropped)
    return stored


def discard_of_message(message_seq: int) -> None:
    """Removes a hard-deleted message's uploads: the rows now, the files once the deletion commits."""
    _discard(Upload.objects.filter(message_id=message_seq))


def _discard(rows: Any) -> int:
    names = [name for file, thumb in rows.values_list("file", "thumb") for name in (file, thumb) if name]
    count, _ = rows.delete()
    if names:
        transaction.on_commit(lambda: _delete_files(names))
    return int(count)


def purge_unattached(now: datetime | None = None) -> int:
    """Removes the uploads no message attached within JATTE_UNATTACHED_UPLOAD_SECONDS; returns how many."""
    seconds: int = settings.JATTE_UNATTACHED_UPLOAD_SECONDS
    cutoff = (now or timezone.now()) - timedelta(seconds=seconds)
    with transaction.atomic():
        return _discard(Upload.objects.filter(message__isnull=True, created_at__lt=cutoff))


# Serving.


@dataclass(frozen=True, slots=True)
class Served:
    """A file to send: its content, the type it was stored with, and whether a browser may show it."""

    file: IO[bytes]
    content_type: str
    inline: bool
    filename: str


def open_file(upload_id: str, variant: str, expires: str | None, signature: str | None) -> Served:
    """The file a signed URL names; refused when unsigned, tampered with, expired, or deleted."""
    file_urls.verify(upload_id, variant, expires, signature)
    row = Upload.objects.select_related("message").filter(id=upload_id).first()
    if row is None:
        raise NotFound("this file does not exist (or was removed)")
    if row.message is not None and row.message.type == "deleted":
        raise NotFound("this file's message was deleted")
    if row.message is None:
        seconds: int = settings.JATTE_UNATTACHED_UPLOAD_SECONDS
        if row.created_at < timezone.now() - timedelta(seconds=seconds):
            raise NotFound("this upload was never attached to a message and has expired")
    name = row.file if variant == "original" else row.thumb
    if not name:
        raise NotFound(f"this upload has no {variant}")
    try:
        content = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise NotFound("this file is missing from storage") from None
    if variant == "thumb":
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        filename = name.rsplit("/", 1)[-1].split("-", 1)[1]
    else:
        content_type, filename = row.mime_type, row.name
    inline = row.kind == Upload.Kind.IMAGE and content_type in INLINE_TYPES
    return Served(content, content_type, inline, filename)
