"""The admin: find a message by text, user or channel, and moderate it."""

from django.contrib import admin

from chat.models import Channel, ChatUser, Member, Message, Read


@admin.register(ChatUser)
class ChatUserAdmin(admin.ModelAdmin[ChatUser]):
    list_display = ("id", "name", "updated_at")
    search_fields = ("id", "name")


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin[Channel]):
    list_display = ("cid", "name", "created_by", "created_at", "last_message_at")
    list_filter = ("type",)
    search_fields = ("cid", "name")


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin[Member]):
    list_display = ("channel", "user", "is_owner", "created_at")
    search_fields = ("channel__cid", "user__id")


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin[Message]):
    list_display = ("message_id", "channel", "user", "text", "type", "created_at", "deleted_at")
    list_filter = ("type", "channel__type")
    search_fields = ("message_id", "text", "user__id", "channel__cid")
    raw_id_fields = ("channel", "user")
    date_hierarchy = "created_at"


@admin.register(Read)
class ReadAdmin(admin.ModelAdmin[Read]):
    list_display = ("channel", "user", "last_read", "last_read_message_id")
    search_fields = ("channel__cid", "user__id")
