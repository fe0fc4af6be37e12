"""Storage: users seen in tokens, channels, members, messages, reactions, read state and moderation."""

from __future__ import annotations

from django.db import models

__all__ = ["Ban", "Channel", "ChatUser", "Flag", "Member", "Message", "Mute", "Reaction", "Read", "Upload"]


class ChatUser(models.Model):
    """A user as the last accepted token described them (`sub`, `user_metadata.name`).

    `role` is the app-wide role an operator sets here; a token whose `app_metadata.role` or `role`
    claim is "admin" makes its user an admin too (chat.services.permissions).
    """

    class Role(models.TextChoices):
        USER = "user"
        ADMIN = "admin"

    id = models.CharField(primary_key=True, max_length=255)
    name = models.CharField(max_length=255, blank=True)
    image = models.URLField(max_length=1024, blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.USER)
    # Set (Stream's deactivated_at): the user's sockets close within a second on every process and
    # no new one opens (chat.sessions); cleared, they may connect again.
    deactivated_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Stream's custom data (and fields Jatte has no column for), kept by an import for the export.
    custom = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Stream's last_active: when a socket of the user last opened, or their last one closed (chat.presence).
    last_active = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.id})" if self.name else self.id


class Channel(models.Model):
    """A channel, addressed by its cid `type:id`."""

    cid = models.CharField(max_length=129, unique=True)
    type = models.CharField(max_length=64)
    channel_id = models.CharField(max_length=64)
    name = models.CharField(max_length=255, blank=True)
    image = models.CharField(max_length=1024, blank=True)
    # Stream's custom data (and fields Jatte has no column for), kept by an import for the export.
    custom = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(ChatUser, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # channels.query over the channels of open types (livestream), newest first.
        indexes = [models.Index(fields=["type", "-last_message_at"], name="channel_type_latest")]

    def __str__(self) -> str:
        return self.cid


class Member(models.Model):
    """A user's membership of a channel, with Stream's per-channel role."""

    class ChannelRole(models.TextChoices):
        MEMBER = "channel_member"
        MODERATOR = "channel_moderator"

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(ChatUser, on_delete=models.CASCADE, related_name="memberships")
    is_owner = models.BooleanField(default=False)
    channel_role = models.CharField(max_length=32, choices=ChannelRole.choices, default=ChannelRole.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "user"], name="member_once_per_channel")]
        indexes = [
            # A user's channels (channels.query, unread counts, users.query's shared channels).
            models.Index(fields=["user", "channel"], name="member_channels_of_user"),
            # A channel's members in the order they joined (channel.state, members.query).
            models.Index(fields=["channel", "created_at"], name="member_in_join_order"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.channel}"


class Message(models.Model):
    """A stored message. `seq` orders a channel's history; `message_id` is the public, idempotent id.

    A reply names its parent by `parent_id`; the parent keeps the thread's `reply_count` and
    `thread_participants` (user ids, first replier first), updated in the reply's transaction.
    `reaction_groups` is Stream's per-type summary, rewritten in each reaction's transaction.
    """

    seq = models.BigAutoField(primary_key=True)
    message_id = models.CharField(max_length=255, unique=True)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="messages")
    user = models.ForeignKey(ChatUser, on_delete=models.PROTECT, related_name="messages")
    text = models.TextField()
    type = models.CharField(max_length=16, default="regular")
    parent_id = models.CharField(max_length=255, blank=True)
    show_in_channel = models.BooleanField(default=False)
    reply_count = models.IntegerField(default=0)
    thread_participants = models.JSONField(default=list, blank=True)
    quoted = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="quoted_by"
    )
    mentioned_users = models.ManyToManyField(ChatUser, blank=True, related_name="mentioned_in")
    attachments = models.JSONField(default=list, blank=True)
    reaction_groups = models.JSONField(default=dict, blank=True)
    pinned_at = models.DateTimeField(null=True, blank=True)
    pinned_by = models.ForeignKey(
        ChatUser, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pin_expires = models.DateTimeField(null=True, blank=True)
    # Stream's custom data and `html`, kept by an import for the export.
    custom = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["channel", "-seq"], name="message_latest_in_channel"),
            models.Index(fields=["parent_id", "seq"], name="message_replies"),
            models.Index(
                fields=["channel", "pinned_at"],
                name="message_pinned",
                condition=models.Q(pinned_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.message_id} in {self.channel_id}: {self.text[:40]}"


class Read(models.Model):
    """How far a user has read a channel, and how many messages after that are unread for them.

    `unread_messages` is kept by chat.services.reads: raised by each stored message, counted again
    from the messages whenever the mark moves, a message is deleted or a mute changes.
    """

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(ChatUser, on_delete=models.CASCADE, related_name="reads")
    last_read = models.DateTimeField()
    last_read_seq = models.BigIntegerField(default=0)
    last_read_message_id = models.CharField(max_length=255, blank=True)
    unread_messages = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["channel", "user"], name="read_once_per_channel")]
        # A user's read state in every channel (unread.get, the first health.check's counts).
        indexes = [models.Index(fields=["user", "channel"], name="read_channels_of_user")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.channel} to {self.last_read_message_id or '-'}"


class ThreadRead(models.Model):
    """How far a user has read a thread (Stream's per-thread read state), one per participant.

    Made for the parent's author and each replier when a reply is stored (the replier has read up
    to it), and moved by message.read with a thread_id. A thread's unread count is not kept but
    counted: the replies after the mark that others sent and that are not deleted
    (chat.services.reads.unread_threads), so an edit, a delete or a mute needs nothing here.
    """

    parent = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="thread_reads")
    user = models.ForeignKey(ChatUser, on_delete=models.CASCADE, related_name="thread_reads")
    last_read = models.DateTimeField()
    last_read_seq = models.BigIntegerField(default=0)
    last_read_message_id = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "parent"], name="thread_read_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} read thread {self.parent_id} to {self.last_read_message_id or '-'}"


class Reaction(models.Model):
    """One user's reaction of one type to a message (Stream: one per type per user per message)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(ChatUser, on_delete=models.CASCADE, related_name="reactions")
    type = models.CharField(max_length=30)
    score = models.IntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "user", "type"], name="reaction_once_per_type")
        ]
        indexes = [models.Index(fields=["message", "-created_at"], name="reaction_latest")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.type} on {self.message_id}"


class Mute(models.Model):
    """A user's mute of another user, until `expires` or for good."""

    user = models.ForeignKey(ChatUser, on_delete=models.CASCADE, related_name="mutes")
    target = models.ForeignKey(ChatUser, on_delete=models.CASCADE, related_name="muted_by")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    expires = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "target"], name="mute_once_per_target")]

    def __str__(self) -> str:
        return f"{self.user_id} mutes {self.target_id}"


class Ban(models.Model):
    """A ban from one channel, or app-wide when `channel` is empty, until `expires` or for good."""

    user = models.ForeignKey(ChatUser, on_delete=models.CASCADE, related_name="bans")
    channel = models.ForeignKey(Channel, null=True, blank=True, on_delete=models.CASCADE, related_name="bans")
    created_by = models.ForeignKey(
        ChatUser, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    expires = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "channel"],
                name="ban_once_per_channel",
                condition=models.Q(channel__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user"], name="ban_once_app_wide", condition=models.Q(channel__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} banned from {self.channel or 'the app'}"


class Flag(models.Model):
    """A user's report of a message to the moderators (once per user and message).

    The message's id and text are copied, so the report outlives a hard delete.
    """

    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="flags"
    )
    message_key = models.CharField("message id", max_length=255)
    message_text = models.TextField(blank=True)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(ChatUser, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    reviewed = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message_key", "user"], name="flag_once_per_message")]

    def __str__(self) -> str:
        return f"{self.user_id} flagged {self.message_key}"


class Upload(models.Model):
    """A file uploaded to a channel over HTTP (chat.services.uploads), in Django's default storage.

    `file` and `thumb` are storage names, never paths. Until a message attaches it (`message`), only
    its uploader holds its URL, and housekeeping removes it after a day (`manage.py purge_uploads`);
    a hard-deleted message removes its uploads, a soft-deleted one stops serving them.
    """

    class Kind(models.TextChoices):
        IMAGE = "image"
        FILE = "file"

    id = models.CharField(primary_key=True, max_length=32)
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="uploads")
    user = models.ForeignKey(ChatUser, on_delete=models.PROTECT, related_name="uploads")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="uploads"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=255)  # the uploader's file name, made safe
    file = models.CharField(max_length=512)
    thumb = models.CharField(max_length=512, blank=True)
    mime_type = models.CharField(max_length=255)
    size = models.BigIntegerField()
    width = models.IntegerField(null=True, blank=True)
    height = models.IntegerField(null=True, blank=True)
    base_url = models.CharField(max_length=512)  # scheme://host its URLs name
    created_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.name}) in {self.channel_id}"
