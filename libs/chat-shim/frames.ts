/* GENERATED from schema/frames.schema.json by `tools/dev codegen`. DO NOT EDIT. */

/**
 * Every WebSocket frame between the chat shim and the Jatte backend. Field names and event shapes follow Stream Chat. This file is the one hand-edited contract: run `tools/dev codegen` after editing it.
 */
export type Frame = ClientFrame | ServerFrame;
/**
 * A frame the client sends.
 */
export type ClientFrame =
  | ClientHealthCheck
  | ChannelWatch
  | ChannelStopWatching
  | ClientMessageNew
  | ClientTypingStart
  | ClientTypingStop
  | ClientMessageRead
  | MessageUpdate
  | MessageDelete
  | ReactionSend
  | ReactionDelete
  | MessageGetReplies
  | MessagePin
  | MessageFlag
  | UserMute
  | UserUnmute
  | UserBan
  | UserUnban
  | ChannelsQuery
  | UnreadGet
  | ChannelUpdate
  | ChannelDelete
  | ChannelMembersAdd
  | ChannelMembersRemove
  | ChannelModeratorsAdd
  | MessageUnread
  | MembersQuery
  | UsersQuery
  | MessagesSearch;
/**
 * Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.
 */
export type RequestId = string;
/**
 * A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.
 */
export type Cid = string;
/**
 * A channel type: messaging, team or livestream.
 */
export type ChannelType = string;
/**
 * A user id as the token's `sub` carries it.
 */
export type UserId = string;
/**
 * A message id. Client-chosen ids are idempotency keys.
 */
export type MessageId = string;
/**
 * Message text: at most 5,000 characters (Stream's default max_message_length); empty (or blank) only in a message with attachments, as Stream has it (else `empty_text`).
 */
export type MessageText = string;
export type AttachmentType = 'image' | 'file' | 'video' | 'audio';
/**
 * A reaction's type, e.g. `like`: 1 to 30 characters.
 */
export type ReactionType = string;
/**
 * An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.
 */
export type Timestamp = string;
/**
 * How long a mute or ban lasts, in minutes (at most 100 years; leave it out for no end).
 */
export type TimeoutMinutes = number;
export type ChannelSortField =
  | 'last_message_at'
  | 'last_updated'
  | 'created_at'
  | 'updated_at'
  | 'unread_count'
  | 'member_count';
/**
 * 1 ascending, -1 descending.
 */
export type SortDirection = 1 | -1;
/**
 * How many results to skip: at most 1,000 (Stream's cap).
 */
export type QueryOffset = number;
/**
 * The users a member change is about: 1 to 100 ids.
 *
 * @minItems 1
 * @maxItems 100
 */
export type UserIds = [UserId, ...UserId[]];
export type MemberSortField = 'created_at' | 'updated_at' | 'user_id' | 'name';
export type UserSortField = 'id' | 'name' | 'created_at' | 'updated_at' | 'last_active';
export type SearchSortField = 'relevance' | 'created_at' | 'updated_at' | 'reply_count';
/**
 * A frame the server sends: a reply to a request (carrying its request_id) or a channel event.
 */
export type ServerFrame =
  | HealthCheckEvent
  | ChannelState
  | MessageSent
  | Ok
  | ErrorFrame
  | MessageNewEvent
  | TypingStartEvent
  | TypingStopEvent
  | MessageReadEvent
  | UserWatchingStartEvent
  | UserWatchingStopEvent
  | MessageUpdatedEvent
  | MessageDeletedEvent
  | ReactionNewEvent
  | ReactionUpdatedEvent
  | ReactionDeletedEvent
  | MessageReplies
  | NotificationMutesUpdatedEvent
  | UserBannedEvent
  | UserUnbannedEvent
  | ChannelsState
  | UnreadCounts
  | ChannelUpdatedEvent
  | ChannelDeletedEvent
  | MemberAddedEvent
  | MemberRemovedEvent
  | MemberUpdatedEvent
  | NotificationAddedToChannelEvent
  | NotificationRemovedFromChannelEvent
  | NotificationMarkUnreadEvent
  | MembersList
  | UsersList
  | NotificationMessageNewEvent
  | NotificationMarkReadEvent
  | UserPresenceChangedEvent
  | SearchResults;
export type UserRole = 'user' | 'admin';
/**
 * An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.
 */
export type Timestamp1 = string;
export type MessageType = 'regular' | 'reply' | 'deleted' | 'system' | 'error' | 'ephemeral';
export type MemberRole = 'owner' | 'member';
export type ChannelRole = 'channel_member' | 'channel_moderator';
/**
 * One of Stream's own_capabilities strings: what the asking user may do in a channel.
 */
export type Capability =
  | 'ban-channel-members'
  | 'cast-poll-vote'
  | 'connect-events'
  | 'create-attachment'
  | 'create-mention'
  | 'delete-any-message'
  | 'delete-channel'
  | 'delete-own-message'
  | 'delivery-events'
  | 'flag-message'
  | 'freeze-channel'
  | 'join-channel'
  | 'leave-channel'
  | 'mute-channel'
  | 'notify-channel'
  | 'pin-message'
  | 'query-poll-votes'
  | 'quote-message'
  | 'read-events'
  | 'search-messages'
  | 'send-custom-events'
  | 'send-links'
  | 'send-message'
  | 'send-poll'
  | 'send-reaction'
  | 'send-reply'
  | 'send-typing-events'
  | 'set-channel-cooldown'
  | 'skip-slow-mode'
  | 'slow-mode'
  | 'typing-events'
  | 'update-any-message'
  | 'update-channel'
  | 'update-channel-members'
  | 'update-own-message'
  | 'update-thread'
  | 'upload-file';
/**
 * Why a frame was refused. Stable: clients may branch on it. `storage_unavailable`: the database could not be reached after retries and nothing was stored; resend with the same id. `token_expired`: the token's `exp` passed (the socket then closes with 4002). `invalid_parent`: a reply to a reply, or to a message of another channel. `invalid_quote`: the quoted message is in another channel. `feature_disabled`: the channel type's config turns the feature off. `not_allowed`: the user lacks the capability (a ban names itself and its end). `invalid_field` also names an unknown filter key or operator, or a sort field a query does not have. `custom_data_too_large`: a channel's custom fields are over 5 KiB as JSON (Stream's limit). `invalid_attachment`: an attachment names an upload of another channel or user, or one already attached. The HTTP endpoints (uploads, files) answer `{code, message}` too: `file_too_large` (413, over JATTE_UPLOAD_MAX_BYTES), `file_type_not_allowed` (415: not an allowed image, or a blocked extension), `unauthenticated` (401), `origin_not_allowed` (403), `invalid_signature` / `signature_expired` (403: a file URL unsigned, tampered with, or past its expiry).
 */
export type ErrorCode =
  | 'invalid_json'
  | 'invalid_frame'
  | 'unknown_type'
  | 'invalid_cid'
  | 'invalid_field'
  | 'empty_text'
  | 'message_too_long'
  | 'unknown_channel_type'
  | 'not_allowed'
  | 'not_found'
  | 'id_conflict'
  | 'rate_limited'
  | 'storage_unavailable'
  | 'internal_error'
  | 'token_expired'
  | 'invalid_parent'
  | 'invalid_quote'
  | 'feature_disabled'
  | 'custom_data_too_large'
  | 'invalid_attachment'
  | 'file_too_large'
  | 'file_type_not_allowed'
  | 'unauthenticated'
  | 'origin_not_allowed'
  | 'invalid_signature'
  | 'signature_expired';

/**
 * A heartbeat. Answered with a health.check.
 */
export interface ClientHealthCheck {
  type: 'health.check';
  request_id?: RequestId;
  client_id?: string;
}
/**
 * Create the channel if new, subscribe this socket to its events, and answer channel.state. Without `cid`, `channel_type` and `data.members` name a distinct channel (Stream's channel without an id): the same members find the same channel, whose cid (`type:!members-…`) the answer carries. With `presence`, the members' users carry online and last_active, and their user.presence.changed events reach this socket.
 */
export interface ChannelWatch {
  type: 'channel.watch';
  request_id?: RequestId;
  cid?: Cid;
  channel_type?: ChannelType;
  data?: WatchData;
  messages?: MessagePagination;
  presence?: boolean;
}
/**
 * A channel's data as Stream's ChannelData: name, image and custom fields (at most 5 KiB as JSON, Stream's limit; a reserved field such as `cid` or `member_count` is refused), and `members`, used only when the channel is created (the creator joins too; without an id, the members make a distinct channel). channel.watch uses it only to create the channel; channel.update replaces the channel's name, image and custom fields with it.
 */
export interface WatchData {
  name?: string;
  image?: string;
  /**
   * @maxItems 100
   */
  members?: UserId[];
  [k: string]: unknown;
}
/**
 * Which messages a watch returns: the latest `limit` (default 25, at most 300), older than `id_lt`, or newer than `id_gt` (what a reconnecting client missed).
 */
export interface MessagePagination {
  limit?: number;
  id_lt?: MessageId;
  id_gt?: MessageId;
}
/**
 * Unsubscribe this socket from the channel's events (Stream's channel.stopWatching()). Answered with ok.
 */
export interface ChannelStopWatching {
  type: 'channel.stop_watching';
  request_id?: RequestId;
  cid: Cid;
}
/**
 * Send a message, a reply (`parent_id`; also shown in the channel with `show_in_channel`), a quote (`quoted_message_id`, same channel) or mentions (user ids). Stored, then delivered as a message.new event to every watcher; answered with message.sent. A known `id` stores and delivers nothing new.
 */
export interface ClientMessageNew {
  type: 'message.new';
  request_id?: RequestId;
  cid: Cid;
  text?: MessageText;
  id?: MessageId;
  parent_id?: MessageId;
  show_in_channel?: boolean;
  quoted_message_id?: MessageId;
  /**
   * @maxItems 25
   */
  mentioned_users?: UserId[];
  /**
   * @maxItems 30
   */
  attachments?: Attachment[];
}
/**
 * A file or link attached to a message, as Stream's Attachment (at most 30 per message).
 */
export interface Attachment {
  type?: AttachmentType;
  asset_url?: string;
  image_url?: string;
  thumb_url?: string;
  title?: string;
  title_link?: string;
  text?: string;
  file_size?: number;
  mime_type?: string;
  original_width?: number;
  original_height?: number;
}
/**
 * The user started typing. Relayed to the channel's other watchers; answered with ok.
 */
export interface ClientTypingStart {
  type: 'typing.start';
  request_id?: RequestId;
  cid: Cid;
  parent_id?: MessageId;
}
/**
 * The user stopped typing. Relayed to the channel's other watchers; answered with ok.
 */
export interface ClientTypingStop {
  type: 'typing.stop';
  request_id?: RequestId;
  cid: Cid;
  parent_id?: MessageId;
}
/**
 * Mark the channel read up to `message_id` (default: its newest message); with `thread_id` (Stream's markRead({thread_id})), the thread of that parent message instead, up to its newest reply (or its reply `message_id`), leaving the channel's read state as it was. Stored, relayed to the other watchers, and answered with the message.read event.
 */
export interface ClientMessageRead {
  type: 'message.read';
  request_id?: RequestId;
  cid: Cid;
  message_id?: MessageId;
  thread_id?: MessageId;
}
/**
 * Edit a message (Stream's client.updateMessage). The text and the given fields replace the old ones; answered with the message.updated event every watcher gets.
 */
export interface MessageUpdate {
  type: 'message.update';
  request_id?: RequestId;
  message: UpdatedMessage;
}
export interface UpdatedMessage {
  id: MessageId;
  text: MessageText;
  /**
   * @maxItems 30
   */
  attachments?: Attachment[];
  /**
   * @maxItems 25
   */
  mentioned_users?: UserId[];
  quoted_message_id?: MessageId;
}
/**
 * Delete a message (Stream's client.deleteMessage): soft by default (type `deleted`, text and attachments gone), the row itself when `hard`. Answered with the message.deleted event.
 */
export interface MessageDelete {
  type: 'message.delete';
  request_id?: RequestId;
  id: MessageId;
  hard?: boolean;
}
/**
 * React to a message (Stream's channel.sendReaction). One reaction per type per user; `enforce_unique` replaces the user's other reactions on the message. Answered with reaction.new (or reaction.updated).
 */
export interface ReactionSend {
  type: 'reaction.send';
  request_id?: RequestId;
  message_id: MessageId;
  reaction: ReactionRequest;
  enforce_unique?: boolean;
}
export interface ReactionRequest {
  type: ReactionType;
  score?: number;
}
/**
 * Remove the user's reaction of one type (Stream's channel.deleteReaction). Answered with reaction.deleted.
 */
export interface ReactionDelete {
  type: 'reaction.delete';
  request_id?: RequestId;
  message_id: MessageId;
  reaction_type: ReactionType;
}
/**
 * A page of a thread's replies (Stream's channel.getReplies): the latest `limit` (default 25, at most 300), older than `id_lt` or newer than `id_gt`. Answered with message.replies.
 */
export interface MessageGetReplies {
  type: 'message.get_replies';
  request_id?: RequestId;
  parent_id: MessageId;
  limit?: number;
  id_lt?: MessageId;
  id_gt?: MessageId;
}
/**
 * Pin or unpin a message (Stream's client.pinMessage / unpinMessage), optionally until `pin_expires`. Answered with message.updated.
 */
export interface MessagePin {
  type: 'message.pin';
  request_id?: RequestId;
  id: MessageId;
  pinned: boolean;
  pin_expires?: Timestamp;
}
/**
 * Report a message to the moderators (Stream's client.flagMessage); the flag shows in the admin. Answered with ok.
 */
export interface MessageFlag {
  type: 'message.flag';
  request_id?: RequestId;
  id: MessageId;
  reason?: string;
}
/**
 * Mute a user (Stream's client.muteUser), for `timeout` minutes or until unmuted. Answered with notification.mutes_updated, which reaches all the muter's sockets.
 */
export interface UserMute {
  type: 'user.mute';
  request_id?: RequestId;
  target_id: UserId;
  timeout?: TimeoutMinutes;
}
/**
 * Unmute a user (Stream's client.unmuteUser). Answered with notification.mutes_updated.
 */
export interface UserUnmute {
  type: 'user.unmute';
  request_id?: RequestId;
  target_id: UserId;
}
/**
 * Ban a user from the channel `cid` (Stream's channel.banUser; moderators), or app-wide without `cid` (client.banUser; admins), for `timeout` minutes or for good. Answered with user.banned.
 */
export interface UserBan {
  type: 'user.ban';
  request_id?: RequestId;
  target_id: UserId;
  cid?: Cid;
  timeout?: TimeoutMinutes;
  reason?: string;
}
/**
 * Lift a user's ban from the channel `cid`, or the app-wide ban without `cid`. Answered with user.unbanned.
 */
export interface UserUnban {
  type: 'user.unban';
  request_id?: RequestId;
  target_id: UserId;
  cid?: Cid;
}
/**
 * Stream's queryChannels: the channels matching `filter_conditions` that the user may read, sorted by `sort` (default last_message_at, newest first), `limit` (default 10, at most 30) from `offset`. Answered with channels.state: each channel as channel.watch's channel.state (`state` false: no messages, members or read; `message_limit` messages, default 25, at most 300; `member_limit` members, default 100). With `watch`, this socket watches each channel; with `presence`, users carry online and last_active and their changes reach this socket.
 */
export interface ChannelsQuery {
  type: 'channels.query';
  request_id?: RequestId;
  filter_conditions: ChannelFilter;
  /**
   * @maxItems 5
   */
  sort?:
    | []
    | [ChannelSort]
    | [ChannelSort, ChannelSort]
    | [ChannelSort, ChannelSort, ChannelSort]
    | [ChannelSort, ChannelSort, ChannelSort, ChannelSort]
    | [ChannelSort, ChannelSort, ChannelSort, ChannelSort, ChannelSort];
  limit?: number;
  offset?: QueryOffset;
  watch?: boolean;
  state?: boolean;
  presence?: boolean;
  message_limit?: number;
  member_limit?: number;
}
/**
 * Stream's filter_conditions for channels: keys `type`, `cid`, `id` ($eq, $in), `members` ($in, $eq), `last_message_at`, `created_at`, `updated_at`, `member_count` ($eq, $gt, $gte, $lt, $lte), `has_unread` (true), `name` ($eq, $autocomplete), combined with `$and` / `$or` / `$nor` (arrays of filters); a bare value means $eq. An unknown key or operator is refused with invalid_field naming it. Whatever the filter, only channels the user may read are returned.
 */
export interface ChannelFilter {
  [k: string]: unknown;
}
/**
 * One sort key of a channel query (Stream's `{field, direction}`); the default is last_message_at, newest first. `last_updated` is the later of last_message_at and updated_at.
 */
export interface ChannelSort {
  field: ChannelSortField;
  direction: SortDirection;
}
/**
 * Stream's client.getUnreadCount(): the user's unread counts, per channel and in total. Answered with unread.counts.
 */
export interface UnreadGet {
  type: 'unread.get';
  request_id?: RequestId;
}
/**
 * Create or change a channel (Stream's channel.create(), channel.update(data), channel.updatePartial({set, unset})). A channel that does not exist is created from `data` (the user its creator, `data.members` its members; without `cid`, `channel_type` and `data.members` name a distinct channel). channel.create() sends `get_or_create` (Stream's get-or-create): a channel that exists is answered as it is, its data untouched, with no capability needed beyond reading it. Otherwise, on an existing channel, `data` replaces the name, image and custom fields (`data.members` is ignored: use channel.members.add), `set` changes only the fields it names and `unset` removes fields; both need the update-channel capability. Answered with channel.updated, which the channel's watchers get too when something changed.
 */
export interface ChannelUpdate {
  type: 'channel.update';
  request_id?: RequestId;
  cid?: Cid;
  channel_type?: ChannelType;
  data?: WatchData;
  set?: WatchData;
  /**
   * @maxItems 50
   */
  unset?: string[];
  /**
   * Only create (channel.create()): a channel that exists is answered as it is, whatever `data`, `set` and `unset` say.
   */
  get_or_create?: boolean;
}
/**
 * Delete a channel with its messages (Stream's channel.delete(); the delete-channel capability). Answered with channel.deleted, which every member gets too; watchers stop watching it.
 */
export interface ChannelDelete {
  type: 'channel.delete';
  request_id?: RequestId;
  cid: Cid;
}
/**
 * Add members (Stream's channel.addMembers(ids); the update-channel-members capability). Watchers get a member.added per new member, each added user notification.added_to_channel. Answered with channel.updated carrying the channel and its members; adding a member again changes nothing.
 */
export interface ChannelMembersAdd {
  type: 'channel.members.add';
  request_id?: RequestId;
  cid: Cid;
  user_ids: UserIds;
}
/**
 * Remove members (Stream's channel.removeMembers(ids); the update-channel-members capability, or leave-channel to remove oneself). Watchers get a member.removed per removed member, each removed user notification.removed_from_channel, and their sockets stop watching a members-only channel. Answered with channel.updated carrying the channel and its members.
 */
export interface ChannelMembersRemove {
  type: 'channel.members.remove';
  request_id?: RequestId;
  cid: Cid;
  user_ids: UserIds;
}
/**
 * Make members moderators (Stream's channel.addModerators(ids); the update-channel-members capability). Watchers get a member.updated per changed member. Answered with channel.updated carrying the channel and its members.
 */
export interface ChannelModeratorsAdd {
  type: 'channel.moderators.add';
  request_id?: RequestId;
  cid: Cid;
  user_ids: UserIds;
}
/**
 * Mark the channel unread from `message_id` on (Stream's channel.markUnread({message_id})): that message and every later one count as unread again. Answered with notification.mark_unread, which the user's other sockets get too.
 */
export interface MessageUnread {
  type: 'message.unread';
  request_id?: RequestId;
  cid: Cid;
  message_id: MessageId;
}
/**
 * Stream's channel.queryMembers(filter, sort, options): the channel's members matching `filter_conditions`, sorted by `sort` (default created_at, oldest first), `limit` (default 100, at most 100) from `offset`. With `presence`, users carry online and last_active. Answered with members.list.
 */
export interface MembersQuery {
  type: 'members.query';
  request_id?: RequestId;
  cid: Cid;
  filter_conditions: MemberFilter;
  /**
   * @maxItems 5
   */
  sort?:
    | []
    | [MemberSort]
    | [MemberSort, MemberSort]
    | [MemberSort, MemberSort, MemberSort]
    | [MemberSort, MemberSort, MemberSort, MemberSort]
    | [MemberSort, MemberSort, MemberSort, MemberSort, MemberSort];
  limit?: number;
  offset?: QueryOffset;
  presence?: boolean;
}
/**
 * Stream's filter_conditions for a channel's members: `id` / `user_id` ($eq, $in), `name` ($eq, $autocomplete), `channel_role` ($eq, $in), `banned` ($eq), `created_at` ($gt, $gte, $lt, $lte), combined with `$and` / `$or` / `$nor`. An unknown key or operator is refused with invalid_field.
 */
export interface MemberFilter {
  [k: string]: unknown;
}
/**
 * One sort key of a member query; the default is created_at, oldest first.
 */
export interface MemberSort {
  field: MemberSortField;
  direction: SortDirection;
}
/**
 * Stream's client.queryUsers(filter, sort, options): users matching `filter_conditions` among those who share a channel with the asker (every user, for an admin), sorted by `sort` (default id), `limit` (default 30, at most 100) from `offset`. With `presence`, users carry online and last_active, and their changes reach this socket. Answered with users.list; never a token, email or other claim.
 */
export interface UsersQuery {
  type: 'users.query';
  request_id?: RequestId;
  filter_conditions: UserFilter;
  /**
   * @maxItems 5
   */
  sort?:
    | []
    | [UserSort]
    | [UserSort, UserSort]
    | [UserSort, UserSort, UserSort]
    | [UserSort, UserSort, UserSort, UserSort]
    | [UserSort, UserSort, UserSort, UserSort, UserSort];
  limit?: number;
  offset?: QueryOffset;
  presence?: boolean;
}
/**
 * Stream's filter_conditions for users: `id` ($eq, $in, $autocomplete), `name` ($eq, $autocomplete), combined with `$and` / `$or`. Only users who share a channel with the asker are found (every user, for an admin). An unknown key or operator is refused with invalid_field.
 */
export interface UserFilter {
  [k: string]: unknown;
}
/**
 * One sort key of a user query; the default is id, ascending.
 */
export interface UserSort {
  field: UserSortField;
  direction: SortDirection;
}
/**
 * Stream's client.search: the messages, in the channels matching `filter_conditions` that the user may read (at most 500 channels), whose text has every word of `query` (full-text) and that match `message_filter_conditions` (Stream sends one or the other; neither finds every message). A query without a word finds nothing. Deleted and system messages never match. Ranked by relevance, then the newest first (by relevance among the newest 2,000 matches; the newest first without a text query, where `relevance` sorts nothing), unless `sort` says otherwise; `limit` (default 100) from `offset`, or from the `next` an earlier answer gave. Answered with search.results.
 */
export interface MessagesSearch {
  type: 'messages.search';
  request_id?: RequestId;
  filter_conditions: ChannelFilter;
  query?: string;
  message_filter_conditions?: MessageFilter;
  limit?: number;
  offset?: QueryOffset;
  /**
   * @maxItems 3
   */
  sort?: [] | [SearchSort] | [SearchSort, SearchSort] | [SearchSort, SearchSort, SearchSort];
  /**
   * The `next` of an earlier answer: the page after it (it takes the place of `offset`).
   */
  next?: string;
}
/**
 * Stream's message_filter_conditions for search: `text` ($q: every word, $autocomplete: every word as the start of one), `id`, `user.id`, `type` ($eq, $ne, $in, $nin), `parent_id` ($eq, $exists), `reply_count`, `created_at`, `updated_at` ($eq, $ne, $gt, $gte, $lt, $lte), `attachments` ($exists), `mentioned_users.id` ($contains), `pinned` ($eq), combined with `$and` / `$or` / `$nor`. An unknown key or operator is refused with invalid_field.
 */
export interface MessageFilter {
  [k: string]: unknown;
}
/**
 * One sort key of a search (Stream's `{field, direction}`); the default is relevance, then the newest first.
 */
export interface SearchSort {
  field: SearchSortField;
  direction: SortDirection;
}
/**
 * The first frame on an accepted socket (with `me`, the signed-in user as it stands then), the periodic heartbeat and the answer to a client health.check (without `me`, as Stream sends them: the unread totals it held would be stale by then).
 */
export interface HealthCheckEvent {
  type: 'health.check';
  request_id?: RequestId;
  connection_id: string;
  cid: '*';
  me?: OwnUser;
  created_at: Timestamp;
}
/**
 * The signed-in user, as the first health.check carries it (`me`).
 */
export interface OwnUser {
  id: UserId;
  name: string;
  image?: string;
  role: UserRole;
  mutes: Mute[];
  /**
   * @maxItems 0
   */
  channel_mutes: [];
  unread_count: number;
  total_unread_count: number;
  unread_channels: number;
  unread_threads: number;
  /**
   * @maxItems 0
   */
  devices: [];
}
/**
 * A user's mute of another user, as Stream's Mute (`expires` when muted with a timeout).
 */
export interface Mute {
  user: User;
  target: User;
  created_at: Timestamp;
  updated_at: Timestamp;
  expires?: Timestamp;
}
/**
 * A user as events and messages carry it. `online` and `last_active` (Stream's presence) only where presence was asked for, and in user.presence.changed.
 */
export interface User {
  id: UserId;
  name: string;
  image?: string;
  /**
   * Whether any socket of the user is open, on any process.
   */
  online?: boolean;
  last_active?: Timestamp1;
}
/**
 * The answer to channel.watch, shaped as Stream's watch response.
 */
export interface ChannelState {
  type: 'channel.state';
  request_id?: RequestId;
  cid: Cid;
  channel: Channel;
  messages: Message[];
  pinned_messages: Message[];
  members: Member[];
  read: Read[];
  membership?: Member1;
  watcher_count: number;
  own_capabilities: Capability[];
  config: ChannelConfig;
}
/**
 * A channel, shaped as Stream's ChannelResponse: its custom fields (set by channel.update, at most 5 KiB as JSON) sit beside the declared ones, as Stream puts them.
 */
export interface Channel {
  id: string;
  type: string;
  cid: Cid;
  name: string;
  image?: string;
  created_by: User;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_message_at?: Timestamp;
  member_count: number;
  frozen: boolean;
  disabled: boolean;
  [k: string]: unknown;
}
/**
 * A stored message, shaped as Stream's MessageResponse.
 */
export interface Message {
  id: MessageId;
  cid: Cid;
  text: string;
  html: string;
  type: MessageType;
  user: User;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at?: Timestamp;
  parent_id?: MessageId;
  show_in_channel?: boolean;
  reply_count: number;
  deleted_reply_count?: number;
  thread_participants?: User[];
  quoted_message_id?: MessageId;
  quoted_message?: Message1;
  /**
   * @maxItems 30
   */
  attachments: Attachment[];
  /**
   * @maxItems 25
   */
  mentioned_users: User[];
  latest_reactions: Reaction[];
  own_reactions: Reaction[];
  reaction_counts: {
    [k: string]: number;
  };
  reaction_scores: {
    [k: string]: number;
  };
  reaction_groups: {
    [k: string]: ReactionGroup;
  };
  pinned: boolean;
  pinned_at?: Timestamp;
  pinned_by?: User;
  pin_expires?: Timestamp;
  silent: boolean;
  channel?: Channel1;
}
/**
 * The quoted message, without its own quote.
 */
export interface Message1 {
  id: MessageId;
  cid: Cid;
  text: string;
  html: string;
  type: MessageType;
  user: User;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at?: Timestamp;
  parent_id?: MessageId;
  show_in_channel?: boolean;
  reply_count: number;
  deleted_reply_count?: number;
  thread_participants?: User[];
  quoted_message_id?: MessageId;
  quoted_message?: Message1;
  /**
   * @maxItems 30
   */
  attachments: Attachment[];
  /**
   * @maxItems 25
   */
  mentioned_users: User[];
  latest_reactions: Reaction[];
  own_reactions: Reaction[];
  reaction_counts: {
    [k: string]: number;
  };
  reaction_scores: {
    [k: string]: number;
  };
  reaction_groups: {
    [k: string]: ReactionGroup;
  };
  pinned: boolean;
  pinned_at?: Timestamp;
  pinned_by?: User;
  pin_expires?: Timestamp;
  silent: boolean;
  channel?: Channel1;
}
/**
 * One user's reaction of one type to a message, as Stream's ReactionResponse.
 */
export interface Reaction {
  message_id: MessageId;
  user_id: UserId;
  user: User;
  type: ReactionType;
  score: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}
/**
 * The totals of one reaction type on a message (Stream's reaction_groups entry).
 */
export interface ReactionGroup {
  count: number;
  sum_scores: number;
  first_reaction_at: Timestamp;
  last_reaction_at: Timestamp;
}
/**
 * A channel, shaped as Stream's ChannelResponse: its custom fields (set by channel.update, at most 5 KiB as JSON) sit beside the declared ones, as Stream puts them.
 */
export interface Channel1 {
  id: string;
  type: string;
  cid: Cid;
  name: string;
  image?: string;
  created_by: User;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_message_at?: Timestamp;
  member_count: number;
  frozen: boolean;
  disabled: boolean;
  [k: string]: unknown;
}
/**
 * A channel member, shaped as Stream's ChannelMemberResponse.
 */
export interface Member {
  user_id: UserId;
  user: User;
  role: MemberRole;
  channel_role: ChannelRole;
  banned: boolean;
  ban_expires?: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}
/**
 * One user's read state in a channel, as Stream's watch response lists it.
 */
export interface Read {
  user: User;
  last_read: Timestamp;
  last_read_message_id?: MessageId;
  unread_messages: number;
}
/**
 * A channel member, shaped as Stream's ChannelMemberResponse.
 */
export interface Member1 {
  user_id: UserId;
  user: User;
  role: MemberRole;
  channel_role: ChannelRole;
  banned: boolean;
  ban_expires?: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}
/**
 * The channel type's configuration, as Stream's ChannelConfig: feature flags (all on by default, url_enrichment off for livestream) and limits.
 */
export interface ChannelConfig {
  typing_events: boolean;
  read_events: boolean;
  connect_events: boolean;
  search: boolean;
  reactions: boolean;
  replies: boolean;
  quotes: boolean;
  mutes: boolean;
  uploads: boolean;
  url_enrichment: boolean;
  custom_events: boolean;
  max_message_length: number;
  automod: string;
  commands: {
    [k: string]: unknown;
  }[];
}
/**
 * The answer to message.new: the stored message. `duplicate` is true when the id was already stored (Stream's 'already exists', which its SDK treats as success).
 */
export interface MessageSent {
  type: 'message.sent';
  request_id?: RequestId;
  cid: Cid;
  message: Message;
  duplicate: boolean;
}
/**
 * The answer to a request that returns nothing else (typing, stop watching, message.flag).
 */
export interface Ok {
  type: 'ok';
  request_id?: RequestId;
}
/**
 * A refused frame: a stable code and a readable message. The socket stays usable.
 */
export interface ErrorFrame {
  type: 'error';
  request_id?: RequestId;
  code: ErrorCode;
  message: string;
}
/**
 * Stream's message.new event, sent to every socket watching the channel.
 */
export interface MessageNewEvent {
  type: 'message.new';
  cid: Cid;
  channel_type: string;
  channel_id: string;
  message_id: MessageId;
  message: Message;
  user: User;
  created_at: Timestamp;
}
/**
 * Stream's typing.start event, sent to the channel's other watchers.
 */
export interface TypingStartEvent {
  type: 'typing.start';
  cid: Cid;
  channel_type: string;
  channel_id: string;
  parent_id?: MessageId;
  user: User;
  created_at: Timestamp;
}
/**
 * Stream's typing.stop event, sent to the channel's other watchers.
 */
export interface TypingStopEvent {
  type: 'typing.stop';
  cid: Cid;
  channel_type: string;
  channel_id: string;
  parent_id?: MessageId;
  user: User;
  created_at: Timestamp;
}
/**
 * Stream's message.read event: sent to the channel's other watchers, and to the reader as the answer to its message.read. With `thread_id`, the user read that thread (up to `last_read_message_id`, its newest reply), not the channel.
 */
export interface MessageReadEvent {
  type: 'message.read';
  request_id?: RequestId;
  cid: Cid;
  channel_type: string;
  channel_id: string;
  last_read_message_id?: MessageId;
  thread_id?: MessageId;
  user: User;
  created_at: Timestamp;
}
/**
 * Stream's user.watching.start: a socket started watching the channel.
 */
export interface UserWatchingStartEvent {
  type: 'user.watching.start';
  cid: Cid;
  channel_type: string;
  channel_id: string;
  user: User;
  watcher_count: number;
  created_at: Timestamp;
}
/**
 * Stream's user.watching.stop: a socket stopped watching the channel (or went away).
 */
export interface UserWatchingStopEvent {
  type: 'user.watching.stop';
  cid: Cid;
  channel_type: string;
  channel_id: string;
  user: User;
  watcher_count: number;
  created_at: Timestamp;
}
/**
 * Stream's message.updated: a message was edited, pinned or unpinned, or a reply changed its parent's reply_count; to every watcher (the requester's copy carries its request_id).
 */
export interface MessageUpdatedEvent {
  type: 'message.updated';
  request_id?: RequestId;
  cid: Cid;
  channel_type: string;
  channel_id: string;
  message_id: MessageId;
  message: Message;
  user: User;
  created_at: Timestamp;
}
/**
 * Stream's message.deleted: soft (the message with type `deleted`) or, with hard_delete, the row is gone; to every watcher.
 */
export interface MessageDeletedEvent {
  type: 'message.deleted';
  request_id?: RequestId;
  cid: Cid;
  channel_type: string;
  channel_id: string;
  message_id: MessageId;
  message: Message;
  user: User;
  hard_delete?: boolean;
  created_at: Timestamp;
}
/**
 * Stream's reaction.new: a reaction was added; carries the full updated message. To every watcher.
 */
export interface ReactionNewEvent {
  type: 'reaction.new';
  request_id?: RequestId;
  cid: Cid;
  channel_type: string;
  channel_id: string;
  message: Message;
  reaction: Reaction;
  user: User;
  created_at: Timestamp;
}
/**
 * Stream's reaction.updated: a reaction's score changed, or enforce_unique replaced the user's reactions; to every watcher.
 */
export interface ReactionUpdatedEvent {
  type: 'reaction.updated';
  request_id?: RequestId;
  cid: Cid;
  channel_type: string;
  channel_id: string;
  message: Message;
  reaction: Reaction;
  user: User;
  created_at: Timestamp;
}
/**
 * Stream's reaction.deleted: a reaction was removed; to every watcher.
 */
export interface ReactionDeletedEvent {
  type: 'reaction.deleted';
  request_id?: RequestId;
  cid: Cid;
  channel_type: string;
  channel_id: string;
  message: Message;
  reaction: Reaction;
  user: User;
  created_at: Timestamp;
}
/**
 * The answer to message.get_replies: a page of the thread, oldest first.
 */
export interface MessageReplies {
  type: 'message.replies';
  request_id?: RequestId;
  parent_id: MessageId;
  messages: Message[];
}
/**
 * Stream's notification.mutes_updated: the user's mutes changed; to every socket of that user.
 */
export interface NotificationMutesUpdatedEvent {
  type: 'notification.mutes_updated';
  request_id?: RequestId;
  me: OwnUser;
  created_at: Timestamp;
}
/**
 * Stream's user.banned: `user` was banned by `created_by`, from the channel `cid` (to its watchers) or app-wide (to the banned user's sockets), until `expiration` or for good.
 */
export interface UserBannedEvent {
  type: 'user.banned';
  request_id?: RequestId;
  user: User;
  created_by?: User;
  reason?: string;
  expiration?: Timestamp;
  shadow: boolean;
  cid?: Cid;
  channel_type?: string;
  channel_id?: string;
  created_at: Timestamp;
}
/**
 * Stream's user.unbanned: `user`'s ban from the channel `cid` (or app-wide) was lifted.
 */
export interface UserUnbannedEvent {
  type: 'user.unbanned';
  request_id?: RequestId;
  user: User;
  created_by?: User;
  reason?: string;
  expiration?: Timestamp;
  shadow: boolean;
  cid?: Cid;
  channel_type?: string;
  channel_id?: string;
  created_at: Timestamp;
}
/**
 * The answer to channels.query: each channel as channel.watch's channel.state (in the query's order).
 */
export interface ChannelsState {
  type: 'channels.state';
  request_id?: RequestId;
  /**
   * @maxItems 30
   */
  channels: ChannelState[];
}
/**
 * The answer to unread.get, as Stream's getUnreadCount(): the user's unread messages per channel (those with any), per channel type, and in total.
 */
export interface UnreadCounts {
  type: 'unread.counts';
  request_id?: RequestId;
  total_unread_count: number;
  total_unread_threads_count: number;
  channels: UnreadChannel[];
  channel_type: UnreadChannelType[];
  threads: UnreadThread[];
}
/**
 * One channel's unread count in unread.counts (Stream's `channel_id` is the cid).
 */
export interface UnreadChannel {
  channel_id: Cid;
  last_read: Timestamp;
  unread_count: number;
}
/**
 * The unread totals of one channel type in unread.counts: channels with unread messages, and messages.
 */
export interface UnreadChannelType {
  channel_type: string;
  channel_count: number;
  unread_count: number;
}
/**
 * One thread's unread count in unread.counts, for a participant (the parent's author or a replier): the replies after their last read of the thread (`last_read_message_id`, absent while they have read none) that others sent, not deleted, not by a user they mute.
 */
export interface UnreadThread {
  parent_message_id: MessageId;
  last_read: Timestamp;
  last_read_message_id?: MessageId;
  unread_count: number;
}
/**
 * Stream's channel.updated: the channel's data changed (to its watchers, and as the answer to channel.update); also the answer to channel.members.add / remove and channel.moderators.add, then carrying `members`.
 */
export interface ChannelUpdatedEvent {
  type: 'channel.updated';
  request_id?: RequestId;
  cid: Cid;
  channel_type: string;
  channel_id: string;
  channel: Channel;
  members?: Member[];
  user: User;
  created_at: Timestamp;
}
/**
 * Stream's channel.deleted: the channel is gone; to every member's sockets and its watchers (who stop watching it), and as the answer to channel.delete.
 */
export interface ChannelDeletedEvent {
  type: 'channel.deleted';
  request_id?: RequestId;
  cid: Cid;
  channel_type: string;
  channel_id: string;
  channel: Channel;
  user?: User;
  created_at: Timestamp;
}
/**
 * Stream's member.added: a member joined the channel; to the channel's watchers. `user` is the member's user.
 */
export interface MemberAddedEvent {
  type: 'member.added';
  cid: Cid;
  channel_type: string;
  channel_id: string;
  member: Member;
  user: User;
  created_at: Timestamp;
}
/**
 * Stream's member.removed: a member left or was removed; to the channel's watchers. `user` is the member's user.
 */
export interface MemberRemovedEvent {
  type: 'member.removed';
  cid: Cid;
  channel_type: string;
  channel_id: string;
  member: Member;
  user: User;
  created_at: Timestamp;
}
/**
 * Stream's member.updated: a member's channel role changed; to the channel's watchers. `user` is the member's user.
 */
export interface MemberUpdatedEvent {
  type: 'member.updated';
  cid: Cid;
  channel_type: string;
  channel_id: string;
  member: Member;
  user: User;
  created_at: Timestamp;
}
/**
 * Stream's notification.added_to_channel: the user was made a member; to that user's sockets, watching or not.
 */
export interface NotificationAddedToChannelEvent {
  type: 'notification.added_to_channel';
  cid: Cid;
  channel_type: string;
  channel_id: string;
  channel: Channel;
  member: Member;
  user?: User;
  created_at: Timestamp;
}
/**
 * Stream's notification.removed_from_channel: the user is no longer a member; to that user's sockets, which stop watching a members-only channel.
 */
export interface NotificationRemovedFromChannelEvent {
  type: 'notification.removed_from_channel';
  cid: Cid;
  channel_type: string;
  channel_id: string;
  channel?: Channel;
  member?: Member;
  user: User;
  created_at: Timestamp;
}
/**
 * Stream's notification.mark_unread: the user marked the channel unread from `first_unread_message_id`; to the user's sockets (the requester's copy answers message.unread). `unread_messages` is the channel's unread count, the totals the user's.
 */
export interface NotificationMarkUnreadEvent {
  type: 'notification.mark_unread';
  request_id?: RequestId;
  cid: Cid;
  channel_type: string;
  channel_id: string;
  user: User;
  first_unread_message_id: MessageId;
  last_read_at: Timestamp;
  last_read_message_id?: MessageId;
  unread_messages: number;
  unread_count: number;
  total_unread_count: number;
  unread_channels: number;
  unread_threads: number;
  created_at: Timestamp;
}
/**
 * The answer to members.query.
 */
export interface MembersList {
  type: 'members.list';
  request_id?: RequestId;
  /**
   * @maxItems 100
   */
  members: Member[];
}
/**
 * The answer to users.query: each user's id, name and image (and presence when asked for), nothing else.
 */
export interface UsersList {
  type: 'users.list';
  request_id?: RequestId;
  /**
   * @maxItems 100
   */
  users: User[];
}
/**
 * Stream's notification.message_new: a message arrived in a channel the user is a member of; to each of the member's sockets that is not watching the channel (never the sender's). `unread_count` is the channel's unread count for the user, `total_unread_count` and `unread_channels` the user's totals, as they stand when it reaches the socket (a later message may already be counted).
 */
export interface NotificationMessageNewEvent {
  type: 'notification.message_new';
  cid: Cid;
  channel_type: string;
  channel_id: string;
  channel: Channel;
  message_id: MessageId;
  message: Message;
  user: User;
  unread_count: number;
  total_unread_count: number;
  unread_channels: number;
  created_at: Timestamp;
}
/**
 * Stream's notification.mark_read: the user read the channel (message.read), or with `thread_id` that thread; to the reader's other sockets, with the user's new counts (`unread_threads`: threads with unread replies).
 */
export interface NotificationMarkReadEvent {
  type: 'notification.mark_read';
  cid: Cid;
  channel_type: string;
  channel_id: string;
  user: User;
  last_read_message_id?: MessageId;
  thread_id?: MessageId;
  unread_count: number;
  total_unread_count: number;
  unread_channels: number;
  unread_threads: number;
  created_at: Timestamp;
}
/**
 * Stream's user.presence.changed: the user came online (their first socket opened, on any process) or went offline (their last closed); once per change, to the sockets that asked for presence of a channel, member list or user list the user is in.
 */
export interface UserPresenceChangedEvent {
  type: 'user.presence.changed';
  user: User;
  created_at: Timestamp;
}
/**
 * The answer to messages.search (Stream's SearchAPIResponse): the hits in order, and `next` (pass it back for the following page) when there are more; `previous` for the page before.
 */
export interface SearchResults {
  type: 'search.results';
  request_id?: RequestId;
  /**
   * @maxItems 100
   */
  results: SearchResult[];
  next?: string;
  previous?: string;
}
/**
 * One hit of a search: the message, with the channel it is in (`message.channel`).
 */
export interface SearchResult {
  message: Message;
}
/**
 * WebSocket close codes the server uses: 1000 normal, 1008 policy violation, 1009 frame over 1 MiB, 1011 internal error, 4001 token refused (never retry), 4002 token expired (get a new token, then reconnect), 4003 origin refused, 4013 try again later (this process is at capacity; the reason says "retry after N ms": reconnect no sooner), 4029 too many sockets for this user.
 */
export const enum CloseCode {
  NORMAL = 1000,
  POLICY_VIOLATION = 1008,
  MESSAGE_TOO_BIG = 1009,
  INTERNAL_ERROR = 1011,
  UNAUTHORIZED = 4001,
  TOKEN_EXPIRED = 4002,
  FORBIDDEN_ORIGIN = 4003,
  TRY_AGAIN_LATER = 4013,
  TOO_MANY_CONNECTIONS = 4029,
}
/**
 * The answer to an HTTP upload, `POST /api/channels/{type}/{id}/image` or `/file` (multipart field `file`, the token in `Authorization`), as Stream's SendFileAPIResponse: the file's signed URL and, for an image, its thumbnail's. Attach them to a message as `image_url` / `asset_url` and `thumb_url`. A refusal answers `{code, message}` with an ErrorCode.
 */
export interface UploadResponse {
  file: string;
  thumb_url?: string;
  duration?: string;
}
