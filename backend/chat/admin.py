"""The admin: find a message by text, user or channel, and moderate it; review flags; set roles and bans."""

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse

from chat.importing.exporter import export_response
from chat.models import Ban, Channel, ChatUser, Flag, Member, Message, Mute, Reaction, Read, ThreadRead


@admin.register(ChatUser)
class ChatUserAdmin(admin.ModelAdmin[ChatUser]):
    list_display = ("id", "name", "role", "deactivated_at", "updated_at")
    list_filter = ("role",)
    list_editable = ("role",)
    search_fields = ("id", "name")
    # Django 6's default, chosen now: a scheme-less image URL means https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin[Channel]):
    list_display = ("cid", "name", "created_by", "created_at", "last_message_at")
    list_filter = ("type",)
    search_fields = ("cid", "name")
    actions = ["export_channels"]

    @admin.action(description="Export these channels (Stream's import format)")
    def export_channels(self, request: HttpRequest, queryset: QuerySet[Channel]) -> StreamingHttpResponse:
        """The chosen channels with their users, members, messages and reactions, as `tools/dev export` writes them."""
        return export_response(request, list(queryset.values_list("cid", flat=True)))


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin[Member]):
    list_display = ("channel", "user", "is_owner", "channel_role", "created_at")
    list_filter = ("channel_role",)
    list_editable = ("channel_role",)
    search_fields = ("channel__cid", "user__id")


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin[Message]):
    list_display = (
        "message_id",
        "channel",
        "user",
        "text",
        "type",
        "reply_count",
        "created_at",
        "deleted_at",
    )
    list_filter = ("type", "channel__type")
    search_fields = ("message_id", "text", "user__id", "channel__cid")
    raw_id_fields = ("channel", "user", "quoted", "pinned_by", "mentioned_users")
    date_hierarchy = "created_at"


@admin.register(Reaction)
class ReactionAdmin(admin.ModelAdmin[Reaction]):
    list_display = ("message", "user", "type", "score", "created_at")
    search_fields = ("message__message_id", "user__id", "type")
    raw_id_fields = ("message", "user")


@admin.register(Read)
class ReadAdmin(admin.ModelAdmin[Read]):
    list_display = ("channel", "user", "last_read", "last_read_message_id")
    search_fields = ("channel__cid", "user__id")


@admin.register(ThreadRead)
class ThreadReadAdmin(admin.ModelAdmin[ThreadRead]):
    list_display = ("parent", "user", "last_read", "last_read_message_id")
    search_fields = ("parent__message_id", "user__id")
    raw_id_fields = ("parent", "user")


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin[Flag]):
    """Reports from users: what was flagged, by whom and why; mark them reviewed."""

    list_display = ("message_key", "message_text", "channel", "user", "reason", "created_at", "reviewed")
    list_filter = ("reviewed", "channel__type")
    list_editable = ("reviewed",)
    search_fields = ("message_key", "message_text", "reason", "user__id", "channel__cid")
    raw_id_fields = ("message", "channel", "user")
    date_hierarchy = "created_at"


@admin.register(Mute)
class MuteAdmin(admin.ModelAdmin[Mute]):
    list_display = ("user", "target", "created_at", "expires")
    search_fields = ("user__id", "target__id")
    raw_id_fields = ("user", "target")


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin[Ban]):
    """Bans from one channel, or app-wide when the channel is empty; delete one to lift it."""

    list_display = ("user", "channel", "reason", "created_by", "created_at", "expires")
    search_fields = ("user__id", "channel__cid", "reason")
    raw_id_fields = ("user", "channel", "created_by")
