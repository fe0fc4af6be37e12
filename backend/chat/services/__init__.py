"""The chat operations every transport shares, one module per noun (as Zulip's `zerver/actions/`).

Synchronous Django ORM code that knows nothing about sockets or HTTP; transports call these through
`database_sync_to_async`. Who may do what is decided in `permissions`, which every module asks.

- `channels`: access, creation on the first watch, the watch's channel.state
- `messages`: post (batched), edit, delete, thread replies, pins, flags, quotes, mentions
- `reactions`: add, rescore, remove
- `reads`: read marks and unread counts
- `typing`: typing events
- `moderation`: mutes and bans
- `users`: signing in, `me`, the fan-out group of a user's sockets
- `events`: what a mutation hands its transport (`Outcome`)
"""

from chat.services.channels import (
    CHANNEL_TYPES,
    DEFAULT_MESSAGE_LIMIT,
    ChannelRef,
    access_channel,
    channel_state,
    prepare_watch,
)
from chat.services.events import Outcome
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
from chat.services.reads import mark_read
from chat.services.typing import relay_typing, typing_event
from chat.services.users import own_user, sign_in, user_group

__all__ = [
    "CHANNEL_TYPES",
    "DEFAULT_MESSAGE_LIMIT",
    "ChannelRef",
    "Outcome",
    "PostRequest",
    "Posted",
    "access_channel",
    "ban_user",
    "channel_state",
    "delete_message",
    "delete_reaction",
    "flag_message",
    "get_replies",
    "mark_read",
    "mute_user",
    "own_user",
    "pin_message",
    "post_message",
    "post_messages",
    "prepare_watch",
    "relay_typing",
    "send_reaction",
    "sign_in",
    "typing_event",
    "unban_user",
    "unmute_user",
    "update_message",
    "user_group",
]
