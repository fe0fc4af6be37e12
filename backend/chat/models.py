"""Storage: users seen in tokens, channels, members, messages and read state."""

from __future__ import annotations

from django.db import models

__all__ = ["Channel", "ChatUser", "Member", "Message", "Read"]


class ChatUser(models.Model):
    """A user as the last accepted token described them (`sub`, `user_metadata.name`)."""

    id = models.CharField(primary_key=True, max_length=255)
    name = models.CharField(max_length=255, blank=True)
    image = models.URLField(max_length=1024, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.id})" if self.name else self.id


class Channel(models.Model):
    """A channel, addressed by its cid `type:id`."""

    cid = models.CharField(max_length=129, unique=True)
    type = models.CharField(max_length=64)
    channel_id = models.CharField(max_length=64)
    name = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(ChatUser, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_message_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.cid


class Member(models.Model):
    """A user's membership of a channel."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(ChatUser, on_delete=models.CASCADE, related_name="memberships")
    is_owner = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "user"], name="member_once_per_channel")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.channel}"


class Message(models.Model):
    """A stored message. `seq` orders a channel's history; `message_id` is the public, idempotent id."""

    seq = models.BigAutoField(primary_key=True)
    message_id = models.CharField(max_length=255, unique=True)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="messages")
    user = models.ForeignKey(ChatUser, on_delete=models.PROTECT, related_name="messages")
    text = models.TextField()
    type = models.CharField(max_length=16, default="regular")
    parent_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["channel", "-seq"], name="message_latest_in_channel")]

    def __str__(self) -> str:
        return f"{self.message_id} in {self.channel_id}: {self.text[:40]}"


class Read(models.Model):
    """How far a user has read a channel."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(ChatUser, on_delete=models.CASCADE, related_name="reads")
    last_read = models.DateTimeField()
    last_read_seq = models.BigIntegerField(default=0)
    last_read_message_id = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "user"], name="read_once_per_channel")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.channel} to {self.last_read_message_id or '-'}"
