"""The chat operations every transport shares, one module per noun (as Zulip's `zerver/actions/`).

Synchronous Django ORM code that knows nothing about sockets or HTTP; transports call these through
`database_sync_to_async`. Who may do what is decided in `permissions`, which every module asks.

- `channels`: access, creation on the first watch (distinct channels too), the watch's channel.state
- `channel_filters`: the channels a user may read that match Stream's filter_conditions, sorted
- `channel_lists`: queryChannels, each channel's state loaded for the whole page at once
- `channel_data`: a channel's name, image and custom fields (update, partial update), deletion
- `members`: adding, removing and promoting members, queryMembers
- `filters`: Stream's filter and sort grammar, shared by the queries
- `messages`: post (batched), edit, delete, thread replies, pins, flags, quotes, mentions
- `reactions`: add, rescore, remove
- `reads`: read marks (either way), kept unread counts, getUnreadCount
- `typing`: typing events
- `moderation`: mutes and bans
- `uploads`: files and images over HTTP, attached to messages, served by signed URL, removed
- `search`: messages found by their words (the full-text index), only where the searcher may read
- `users`: signing in, `me`, the fan-out group of a user's sockets, queryUsers, last_active
- `events`: what a mutation hands its transport (`Outcome`)
"""

from chat.services.channel_data import Deleted, delete_channel, update_channel
from chat.services.channel_filters import readable_channels, sorted_channels
from chat.services.channel_lists import ChannelList, channel_states, page_of_channels, query_channels
from chat.services.channels import (
    CHANNEL_TYPES,
    DEFAULT_MESSAGE_LIMIT,
    ChannelRef,
    access_channel,
    channel_state,
    prepare_watch,
)
from chat.services.events import Outcome
from chat.services.members import MemberChange, add_members, add_moderators, query_members, remove_members
from chat.services.messages import (
    Posted,
    PostRequest,
    delete_message,
    flag_message,
    get_replies,
    pin_message,
    post_message,
    post_messages,
    update_message,
)
from chat.services.moderation import ban_user, mute_user, unban_user, unmute_user
from chat.services.reactions import delete_reaction, send_reaction
from chat.services.reads import ReadMark, mark_read, mark_unread, message_notice, unread_counts
from chat.services.search import search_messages
from chat.services.typing import relay_typing, typing_event
from chat.services.users import own_user, query_users, sign_in, touch, user_group

__all__ = [
    "CHANNEL_TYPES",
    "DEFAULT_MESSAGE_LIMIT",
    "ChannelList",
    "ChannelRef",
    "Deleted",
    "MemberChange",
    "Outcome",
    "PostRequest",
    "Posted",
    "ReadMark",
    "access_channel",
    "add_members",
    "add_moderators",
    "ban_user",
    "channel_state",
    "channel_states",
    "delete_channel",
    "delete_message",
    "delete_reaction",
    "flag_message",
    "get_replies",
    "mark_read",
    "mark_unread",
    "message_notice",
    "mute_user",
    "own_user",
    "page_of_channels",
    "pin_message",
    "post_message",
    "post_messages",
    "prepare_watch",
    "query_channels",
    "query_members",
    "query_users",
    "readable_channels",
    "relay_typing",
    "remove_members",
    "search_messages",
    "send_reaction",
    "sign_in",
    "sorted_channels",
    "touch",
    "typing_event",
    "unban_user",
    "unmute_user",
    "unread_counts",
    "update_channel",
    "update_message",
    "user_group",
]
