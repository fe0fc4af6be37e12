"""The textbook consumer: AsyncJsonWebsocketConsumer, one group_send per message, the ORM per message."""

import uuid
from urllib.parse import parse_qs

import jwt
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import timezone

from chat.models import Message


def _group(cid):
    return "chat_" + cid.replace(":", "_")


def _message(row):
    created = row.created_at.isoformat()
    return {
        "id": row.message_id,
        "text": row.text,
        "type": "regular",
        "user": {"id": row.user_id, "name": row.user_name},
        "cid": row.room,
        "created_at": created,
        "updated_at": created,
    }


class ChatConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        token = parse_qs(self.scope["query_string"].decode()).get("token", [""])[0]
        try:
            claims = jwt.decode(token, settings.JWT_SECRET, algorithms=["HS256"], audience="authenticated")
        except jwt.PyJWTError:
            await self.close(code=4001)
            return
        self.user = {
            "id": claims["sub"],
            "name": (claims.get("user_metadata") or {}).get("name", claims["sub"]),
        }
        self.rooms = set()
        await self.accept()
        await self.send_json(
            {
                "type": "health.check",
                "connection_id": self.channel_name,
                "cid": "*",
                "me": {**self.user, "role": "user", "mutes": [], "channel_mutes": [], "unread_count": 0},
                "created_at": timezone.now().isoformat(),
            }
        )

    async def disconnect(self, code):
        for room in getattr(self, "rooms", ()):
            await self.channel_layer.group_discard(room, self.channel_name)

    async def receive_json(self, content):
        kind = content.get("type")
        if kind == "channel.watch":
            await self.watch(content)
        elif kind == "message.new":
            await self.message_new(content)

    async def watch(self, content):
        cid = content["cid"]
        group = _group(cid)
        await self.channel_layer.group_add(group, self.channel_name)
        self.rooms.add(group)
        limit = (content.get("messages") or {}).get("limit", 25)
        rows = await database_sync_to_async(
            lambda: list(Message.objects.filter(room=cid).order_by("-id")[:limit])
        )()
        kind, _, channel_id = cid.partition(":")
        await self.send_json(
            {
                "type": "channel.state",
                "request_id": content.get("request_id"),
                "cid": cid,
                "channel": {"id": channel_id, "type": kind, "cid": cid},
                "messages": [_message(row) for row in reversed(rows)],
                "pinned_messages": [],
                "members": [],
                "read": [],
                "watcher_count": 0,
            }
        )

    async def message_new(self, content):
        cid = content["cid"]
        row = await database_sync_to_async(Message.objects.create)(
            room=cid,
            message_id=content.get("id") or uuid.uuid4().hex,
            user_id=self.user["id"],
            user_name=self.user["name"],
            text=content["text"],
        )
        message = _message(row)
        kind, _, channel_id = cid.partition(":")
        event = {
            "type": "message.new",
            "cid": cid,
            "channel_type": kind,
            "channel_id": channel_id,
            "message_id": message["id"],
            "message": message,
            "user": self.user,
            "created_at": message["created_at"],
        }
        await self.channel_layer.group_send(_group(cid), {"type": "chat.message", "event": event})
        if content.get("request_id") is not None:
            await self.send_json(
                {"type": "message.sent", "request_id": content["request_id"], "cid": cid, "message": message}
            )

    async def chat_message(self, event):
        await self.send_json(event["event"])
