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
  | ClientMessageRead;
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
  | UserWatchingStopEvent;
/**
 * An ISO 8601 time in UTC, e.g. 2026-11-25T20:20:06.123456Z.
 */
export type Timestamp = string;
export type MessageType = "regular" | "reply" | "deleted" | "system" | "error" | "ephemeral";
export type MemberRole = "owner" | "member";
export type ChannelRole = "channel_member";
/**
 * Why a frame was refused. Stable: clients may branch on it. `storage_unavailable`: the database could not be reached after retries and nothing was stored; resend with the same id.
 */
export type ErrorCode =
  | "invalid_json"
  | "invalid_frame"
  | "unknown_type"
  | "invalid_cid"
  | "invalid_field"
  | "empty_text"
  | "message_too_long"
  | "unknown_channel_type"
  | "not_allowed"
  | "not_found"
  | "id_conflict"
  | "rate_limited"
  | "storage_unavailable"
  | "internal_error";

/**
 * A heartbeat. Answered with a health.check.
 */
export interface ClientHealthCheck {
  type: "health.check";
  request_id?: RequestId;
  client_id?: string;
}
/**
 * Create the channel if new, subscribe this socket to its events, and answer channel.state.
 */
export interface ChannelWatch {
  type: "channel.watch";
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
  type: "channel.stop_watching";
  request_id?: RequestId;
  cid: Cid;
}
/**
 * Send a message. Stored, then delivered as a message.new event to every watcher; answered with message.sent. A known `id` stores and delivers nothing new.
 */
export interface ClientMessageNew {
  type: "message.new";
  request_id?: RequestId;
  cid: Cid;
  text: MessageText;
  id?: MessageId;
  parent_id?: MessageId;
}
/**
 * The user started typing. Relayed to the channel's other watchers; answered with ok.
 */
export interface ClientTypingStart {
  type: "typing.start";
  request_id?: RequestId;
  cid: Cid;
  parent_id?: MessageId;
}
/**
 * The user stopped typing. Relayed to the channel's other watchers; answered with ok.
 */
export interface ClientTypingStop {
  type: "typing.stop";
  request_id?: RequestId;
  cid: Cid;
  parent_id?: MessageId;
}
/**
 * Mark the channel read up to `message_id` (default: its newest message). Stored, relayed to the other watchers, and answered with the message.read event.
 */
export interface ClientMessageRead {
  type: "message.read";
  request_id?: RequestId;
  cid: Cid;
  message_id?: MessageId;
}
/**
 * The first frame on an accepted socket, and the answer to a client health.check.
 */
export interface HealthCheckEvent {
  type: "health.check";
  request_id?: RequestId;
  connection_id: string;
  cid: "*";
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
  role: string;
  /**
   * @maxItems 0
   */
  mutes: [];
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
 * The answer to channel.watch, shaped as Stream's watch response.
 */
export interface ChannelState {
  type: "channel.state";
  request_id?: RequestId;
  cid: Cid;
  channel: Channel;
  messages: Message[];
  /**
   * @maxItems 0
   */
  pinned_messages: [];
  members: Member[];
  read: Read[];
  watcher_count: number;
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
 * A user as events and messages carry it.
 */
export interface User {
  id: UserId;
  name: string;
  image?: string;
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
  reply_count: number;
  /**
   * @maxItems 0
   */
  attachments: [];
  /**
   * @maxItems 0
   */
  mentioned_users: [];
  /**
   * @maxItems 0
   */
  latest_reactions: [];
  /**
   * @maxItems 0
   */
  own_reactions: [];
  reaction_counts: {
    [k: string]: number;
  };
  pinned: boolean;
  silent: boolean;
}
/**
 * A channel member, shaped as Stream's ChannelMemberResponse.
 */
export interface Member {
  user_id: UserId;
  user: User;
  role: MemberRole;
  channel_role: ChannelRole;
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
 * The answer to message.new: the stored message. `duplicate` is true when the id was already stored (Stream's 'already exists', which its SDK treats as success).
 */
export interface MessageSent {
  type: "message.sent";
  request_id?: RequestId;
  cid: Cid;
  message: Message;
  duplicate: boolean;
}
/**
 * The answer to a request that returns nothing else (typing, stop watching).
 */
export interface Ok {
  type: "ok";
  request_id?: RequestId;
}
/**
 * A refused frame: a stable code and a readable message. The socket stays usable.
 */
export interface ErrorFrame {
  type: "error";
  request_id?: RequestId;
  code: ErrorCode;
  message: string;
}
/**
 * Stream's message.new event, sent to every socket watching the channel.
 */
export interface MessageNewEvent {
  type: "message.new";
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
  type: "typing.start";
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
  type: "typing.stop";
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
  type: "message.read";
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
  type: "user.watching.start";
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
  type: "user.watching.stop";
  cid: Cid;
  channel_type: string;
  channel_id: string;
  user: User;
  watcher_count: number;
  created_at: Timestamp;
}
/**
 * WebSocket close codes the server uses: 1000 normal, 1008 policy violation, 1009 frame over 1 MiB, 1011 internal error, 4001 token refused (never retry), 4003 origin refused, 4029 too many sockets for this user.
 */
export const enum CloseCode {
  NORMAL = 1000,
  POLICY_VIOLATION = 1008,
  MESSAGE_TOO_BIG = 1009,
  INTERNAL_ERROR = 1011,
  UNAUTHORIZED = 4001,
  FORBIDDEN_ORIGIN = 4003,
  TOO_MANY_CONNECTIONS = 4029
}
