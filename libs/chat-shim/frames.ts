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
  | UserUnban;
/**
 * Chosen by the client; the server answers the frame with exactly one frame carrying the same request_id.
 */
export type RequestId = string;
/**
 * A channel id, `type:id`, as Stream writes it: type `[A-Za-z0-9_-]`, id `[A-Za-z0-9!_-]`, at most 64 characters each.
 */
export type Cid = string;
/**
 * A user id as the token's `sub` carries it.
 */
export type UserId = string;
/**
 * A message id. Client-chosen ids are idempotency keys.
 */
export type MessageId = string;
/**
 * Message text: 1 to 5,000 characters (Stream's default max_message_length).
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
  | UserUnbannedEvent;
export type UserRole = 'user' | 'admin';
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
 * Why a frame was refused. Stable: clients may branch on it. `storage_unavailable`: the database could not be reached after retries and nothing was stored; resend with the same id. `token_expired`: the token's `exp` passed (the socket then closes with 4002). `invalid_parent`: a reply to a reply, or to a message of another channel. `invalid_quote`: the quoted message is in another channel. `feature_disabled`: the channel type's config turns the feature off. `not_allowed`: the user lacks the capability (a ban names itself and its end).
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
  | 'feature_disabled';

/**
 * A heartbeat. Answered with a health.check.
 */
export interface ClientHealthCheck {
  type: 'health.check';
  request_id?: RequestId;
  client_id?: string;
}
/**
 * Create the channel if new, subscribe this socket to its events, and answer channel.state.
 */
export interface ChannelWatch {
  type: 'channel.watch';
  request_id?: RequestId;
  cid: Cid;
  data?: WatchData;
  messages?: MessagePagination;
}
/**
 * Used only when the watch creates the channel: its name and first members (the creator joins too).
 */
export interface WatchData {
  name?: string;
  /**
   * @maxItems 100
   */
  members?: UserId[];
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
  text: MessageText;
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
 * Mark the channel read up to `message_id` (default: its newest message). Stored, relayed to the other watchers, and answered with the message.read event.
 */
export interface ClientMessageRead {
  type: 'message.read';
  request_id?: RequestId;
  cid: Cid;
  message_id?: MessageId;
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
 * The first frame on an accepted socket, and the answer to a client health.check.
 */
export interface HealthCheckEvent {
  type: 'health.check';
  request_id?: RequestId;
  connection_id: string;
  cid: '*';
  me: OwnUser;
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
 * A user as events and messages carry it.
 */
export interface User {
  id: UserId;
  name: string;
  image?: string;
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
  watcher_count: number;
  own_capabilities: Capability[];
  config: ChannelConfig;
}
/**
 * A channel, shaped as Stream's ChannelResponse.
 */
export interface Channel {
  id: string;
  type: string;
  cid: Cid;
  name: string;
  created_by: User;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_message_at?: Timestamp;
  member_count: number;
  frozen: boolean;
  disabled: boolean;
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
 * Stream's message.read event: sent to the channel's other watchers, and to the reader as the answer to its message.read.
 */
export interface MessageReadEvent {
  type: 'message.read';
  request_id?: RequestId;
  cid: Cid;
  channel_type: string;
  channel_id: string;
  last_read_message_id?: MessageId;
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
 * WebSocket close codes the server uses: 1000 normal, 1008 policy violation, 1009 frame over 1 MiB, 1011 internal error, 4001 token refused (never retry), 4002 token expired (get a new token, then reconnect), 4003 origin refused, 4029 too many sockets for this user.
 */
export const enum CloseCode {
  NORMAL = 1000,
  POLICY_VIOLATION = 1008,
  MESSAGE_TOO_BIG = 1009,
  INTERNAL_ERROR = 1011,
  UNAUTHORIZED = 4001,
  TOKEN_EXPIRED = 4002,
  FORBIDDEN_ORIGIN = 4003,
  TOO_MANY_CONNECTIONS = 4029,
}
