"""A channel's own data: its name, image and custom fields (update, partial update), and deleting it.

Stream's channel.update(data) replaces the data; updatePartial({set, unset}) changes only the
fields it names. Custom fields sit beside the declared ones on the wire (chat.shapes.channel_shape)
and are kept in `Channel.custom`, at most 5 KiB as JSON (Stream's limit). Who may change or delete a
channel is chat.services.permissions' call: `update-channel`, `delete-channel`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from chat import frames
from chat.auth import Actor
from chat.exceptions import CustomDataTooLarge, InvalidField, NotAllowed, NotFound
from chat.models import Channel, Member
from chat.services import permissions
from chat.services.channels import ChannelRef, access_channel, create_channel, ref_of, resolve_cid
from chat.services.events import Outcome
from chat.shapes import RESERVED_CHANNEL_FIELDS, channel_shape

__all__ = [
    "MAX_CUSTOM_BYTES",
    "Deleted",
    "channel_event",
    "channel_fields",
    "delete_channel",
    "update_channel",
]

MAX_CUSTOM_BYTES = 5 * 1024  # Stream's limit on a channel's custom data
MAX_KEY = 255


def _custom_of(data: frames.WatchData | None) -> dict[str, Any]:
    extra = dict(data.model_extra or {}) if data is not None else {}
    for key in extra:
        if key in RESERVED_CHANNEL_FIELDS:
            raise InvalidField(f"field `{key}` is reserved: it cannot be set as custom data")
        if not key or len(key) > MAX_KEY:
            raise InvalidField(f"custom field names are 1 to {MAX_KEY} characters")
    return extra


def _check_size(custom: dict[str, Any]) -> dict[str, Any]:
    size = len(json.dumps(custom, separators=(",", ":"), ensure_ascii=False).encode())
    if size > MAX_CUSTOM_BYTES:
        raise CustomDataTooLarge(
            f"custom data is {size:,} bytes as JSON; a channel may hold at most {MAX_CUSTOM_BYTES:,}"
        )
    return custom


def channel_fields(data: frames.WatchData | None) -> tuple[str | None, str | None, dict[str, Any]]:
    """The name, image and custom fields `data` gives a channel, checked (reserved keys, size)."""
    if data is None:
        return None, None, {}
    return data.name, data.image, _check_size(_custom_of(data))


def channel_event(
    kind: type[frames.ChannelUpdatedEvent] | type[frames.ChannelDeletedEvent],
    ref: ChannelRef,
    channel: Channel,
    actor: Actor,
    member_count: int | None = None,
) -> Any:
    """Stream's channel.updated / channel.deleted about `channel`, caused by `actor`."""
    count = Member.objects.filter(channel_id=channel.pk).count() if member_count is None else member_count
    return kind.model_construct(
        cid=ref.cid,
        channel_type=ref.type,
        channel_id=ref.id,
        channel=channel_shape(channel, count),
        user=frames.User.model_construct(id=actor.id, name=actor.name, image=actor.image or None),
        created_at=timezone.now(),
    )


def update_channel(
    actor: Actor,
    cid: str | None,
    channel_type: str | None = None,
    data: frames.WatchData | None = None,
    set_: frames.WatchData | None = None,
    unset: list[str] | None = None,
    get_or_create: bool = False,
) -> Outcome:
    """Creates the channel from `data` when it does not exist; else, with `get_or_create`
    (channel.create()), answers it as it is, changing nothing; otherwise `data` replaces its name,
    image and custom fields, `set_` changes the fields it names and `unset` removes fields.
    Answered (and, when something changed, told to the watchers) with channel.updated."""
    cid = resolve_cid(actor, cid, channel_type, data)
    exists = Channel.objects.filter(cid=cid).exists()
    if not exists:
        if set_ is not None or unset:
            raise NotFound(f"channel {cid!r} does not exist; create it with `data`")
        create_channel(actor, cid, data)
    if not exists or get_or_create:
        ref = access_channel(actor, cid)
        channel = Channel.objects.select_related("created_by").get(pk=ref.pk)
        return Outcome(
            ref.group, channel_event(frames.ChannelUpdatedEvent, ref, channel, actor), changed=False
        )
    ref = access_channel(actor, cid)
    changes = data is not None or set_ is not None or bool(unset)
    if changes:
        permissions.standing(actor, ref.pk, ref.cid, ref.type).require("update-channel", "update the channel")
    with transaction.atomic():
        channel = Channel.objects.select_for_update().select_related("created_by").get(pk=ref.pk)
        before = (channel.name, channel.image, dict(channel.custom))
        if data is not None:
            name, image, custom = channel_fields(data)
            channel.name, channel.image = name or "", image or ""
            channel.custom = custom
        if set_ is not None:
            name, image, custom = set_.name, set_.image, _custom_of(set_)
            if name is not None:
                channel.name = name
            if image is not None:
                channel.image = image
            channel.custom = {**channel.custom, **custom}
        for key in unset or ():
            if key == "name":
                channel.name = ""
            elif key == "image":
                channel.image = ""
            elif key in RESERVED_CHANNEL_FIELDS:
                raise NotAllowed(f"field `{key}` is the channel's own: it cannot be unset")
            else:
                channel.custom.pop(key, None)
        _check_size(channel.custom)
        changed = (channel.name, channel.image, channel.custom) != before
        if changed:
            channel.updated_at = timezone.now()
            channel.save(update_fields=["name", "image", "custom", "updated_at"])
    return Outcome(ref.group, channel_event(frames.ChannelUpdatedEvent, ref, channel, actor), changed)


@dataclass(frozen=True, slots=True)
class Deleted:
    """A deleted channel: its channel.deleted event and who was a member (they all hear of it)."""

    ref: ChannelRef
    event: frames.ChannelDeletedEvent
    member_ids: list[str]


def delete_channel(actor: Actor, cid: str) -> Deleted:
    """Deletes the channel with its messages, members and read state (the delete-channel capability)."""
    ref = access_channel(actor, cid)
    permissions.standing(actor, ref.pk, ref.cid, ref.type).require("delete-channel", "delete the channel")
    with transaction.atomic():
        channel = Channel.objects.select_for_update().select_related("created_by").get(pk=ref.pk)
        member_ids = list(Member.objects.filter(channel_id=ref.pk).values_list("user_id", flat=True))
        event = channel_event(frames.ChannelDeletedEvent, ref_of(channel), channel, actor, len(member_ids))
        channel.delete()
    return Deleted(ref, event, sorted(member_ids))
