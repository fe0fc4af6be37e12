/**
 * Server frames for the tests, and a mock Jatte server to send them through.
 *
 * Every frame built here is validated against schema/frames.schema.json (ServerFrame) before a test
 * may use it, so the mock server cannot drift from the protocol the real backend speaks.
 */
import Ajv2020 from 'ajv/dist/2020';
import WS from 'jest-websocket-mock';
import type { Client } from 'mock-socket';

import schema from '../../../schema/frames.schema.json';
import type {
  Capability,
  ChannelConfig,
  ChannelState,
  ClientFrame,
  ErrorCode,
  ErrorFrame,
  HealthCheckEvent,
  Message,
  MessageDeletedEvent,
  MessageNewEvent,
  MessageReadEvent,
  MessageReplies,
  MessageSent,
  MessageUpdatedEvent,
  Mute,
  NotificationMutesUpdatedEvent,
  Ok,
  OwnUser,
  Reaction,
  ReactionDeletedEvent,
  ReactionNewEvent,
  ReactionUpdatedEvent,
  ServerFrame,
  TypingStartEvent,
  TypingStopEvent,
  User,
  UserBannedEvent,
  UserUnbannedEvent,
  UserWatchingStartEvent,
} from '../frames';

export const URL = 'ws://chat.test:8765/ws/chat/';
export const CID = 'messaging:general';
export const alice: User = { id: 'alice', name: 'Alice' };
export const bob: User = { id: 'bob', name: 'Bob' };

const ajv = new Ajv2020({ discriminator: true, strict: false, validateFormats: false });
ajv.addSchema(schema);
const validateServerFrame = ajv.getSchema(`${schema.$id}#/$defs/ServerFrame`)!;

/** Returns `frame` as it travels (JSON, so without undefined fields) if the schema accepts it as a ServerFrame. */
export function valid<T extends ServerFrame>(frame: T): T {
  const wire = JSON.parse(JSON.stringify(frame)) as T;
  if (!validateServerFrame(wire)) {
    throw new Error(
      `not a valid ServerFrame: ${ajv.errorsText(validateServerFrame.errors)}\n${JSON.stringify(wire)}`,
    );
  }
  return wire;
}

/** An ISO 8601 time `seconds` after a fixed instant. */
export const at = (seconds: number): string =>
  new Date(Date.UTC(2026, 10, 25, 20, 0, seconds)).toISOString();

/** The signed-in user as `me` carries it, with these mutes. */
export const ownUser = (me: User = alice, mutes: Mute[] = []): OwnUser => ({
  ...me,
  role: 'user',
  mutes,
  channel_mutes: [],
  unread_count: 0,
  total_unread_count: 0,
  unread_channels: 0,
  unread_threads: 0,
  devices: [],
});

export const healthCheck = (
  me: User = alice,
  request_id?: string,
  mutes: Mute[] = [],
): HealthCheckEvent =>
  valid({
    type: 'health.check',
    request_id,
    connection_id: 'conn-1',
    cid: '*',
    created_at: at(0),
    me: ownUser(me, mutes),
  });

/** `user`'s mute of `target`. */
export const mute = (target: User, user: User = alice): Mute => ({
  user,
  target,
  created_at: at(5),
  updated_at: at(5),
});

export const message = (id: string, text: string, user: User = alice, seconds = 1): Message => ({
  id,
  cid: CID,
  text,
  html: `<p>${text}</p>`,
  type: 'regular',
  user,
  created_at: at(seconds),
  updated_at: at(seconds),
  reply_count: 0,
  attachments: [],
  mentioned_users: [],
  latest_reactions: [],
  own_reactions: [],
  reaction_counts: {},
  reaction_scores: {},
  reaction_groups: {},
  pinned: false,
  silent: false,
});

/** A reply to `parent_id` (type reply; regular and shown in the channel with `show_in_channel`). */
export const reply = (
  id: string,
  parent_id: string,
  text: string,
  user: User = bob,
  seconds = 2,
  show_in_channel?: boolean,
): Message => ({
  ...message(id, text, user, seconds),
  type: show_in_channel ? 'regular' : 'reply',
  parent_id,
  show_in_channel,
});

/** `user`'s reaction of `type` to the message `message_id`. */
export const reaction = (
  message_id: string,
  type: string,
  user: User = bob,
  score = 1,
): Reaction => ({
  message_id,
  user_id: user.id,
  user,
  type,
  score,
  created_at: at(9),
  updated_at: at(9),
});

/** Stream's default channel type config (every feature on). */
export const config: ChannelConfig = {
  typing_events: true,
  read_events: true,
  connect_events: true,
  search: true,
  reactions: true,
  replies: true,
  quotes: true,
  mutes: true,
  uploads: true,
  url_enrichment: true,
  custom_events: true,
  max_message_length: 5000,
  automod: 'disabled',
  commands: [],
};

export const memberCapabilities: Capability[] = [
  'send-message',
  'send-reaction',
  'send-reply',
  'update-own-message',
  'delete-own-message',
];

const channelFields = { channel_type: 'messaging', channel_id: 'general', cid: CID };

export const channelState = (
  request_id: string,
  messages: Message[],
  watcher_count = 1,
  pinned_messages: Message[] = [],
  own_capabilities: Capability[] = memberCapabilities,
): ChannelState =>
  valid({
    type: 'channel.state',
    request_id,
    cid: CID,
    messages,
    pinned_messages,
    watcher_count,
    own_capabilities,
    config,
    channel: {
      id: 'general',
      type: 'messaging',
      cid: CID,
      name: 'General',
      created_by: alice,
      created_at: at(0),
      updated_at: at(0),
      member_count: 2,
      frozen: false,
      disabled: false,
    },
    members: [alice, bob].map((user) => ({
      user_id: user.id,
      user,
      role: user === alice ? 'owner' : 'member',
      channel_role: 'channel_member',
      banned: false,
      created_at: at(0),
      updated_at: at(0),
    })),
    read: [
      { user: alice, last_read: at(0), unread_messages: 0 },
      { user: bob, last_read: at(0), unread_messages: 2 },
    ],
  });

export const messageNew = (m: Message): MessageNewEvent =>
  valid({
    type: 'message.new',
    ...channelFields,
    message_id: m.id,
    message: m,
    user: m.user,
    created_at: m.created_at,
  });

export const messageSent = (request_id: string, m: Message, duplicate = false): MessageSent =>
  valid({ type: 'message.sent', request_id, cid: CID, message: m, duplicate });

export const messageRead = (
  user: User,
  last_read_message_id: string,
  request_id?: string,
): MessageReadEvent =>
  valid({
    type: 'message.read',
    request_id,
    ...channelFields,
    last_read_message_id,
    user,
    created_at: at(30),
  });

export const typing = (
  type: 'typing.start' | 'typing.stop',
  user: User,
): TypingStartEvent | TypingStopEvent =>
  valid({ type, ...channelFields, user, created_at: at(20) });

export const watching = (watcher_count: number, user: User = bob): UserWatchingStartEvent =>
  valid({ type: 'user.watching.start', ...channelFields, user, watcher_count, created_at: at(10) });

/** message.updated for `m` (an edit, a pin, or a parent's new reply_count), by `user`. */
export const messageUpdated = (
  m: Message,
  user: User = m.user,
  request_id?: string,
): MessageUpdatedEvent =>
  valid({
    type: 'message.updated',
    request_id,
    ...channelFields,
    message_id: m.id,
    message: m,
    user,
    created_at: at(40),
  });

/** message.deleted: soft (the message as `deleted`) or, with `hard`, the row is gone. */
export const messageDeleted = (
  m: Message,
  hard = false,
  request_id?: string,
): MessageDeletedEvent =>
  valid({
    type: 'message.deleted',
    request_id,
    ...channelFields,
    message_id: m.id,
    message: hard
      ? m
      : { ...m, type: 'deleted', text: '', html: '', attachments: [], deleted_at: at(50) },
    user: m.user,
    hard_delete: hard || undefined,
    created_at: at(50),
  });

type ReactionEvent = ReactionNewEvent | ReactionUpdatedEvent | ReactionDeletedEvent;

/** reaction.new / .updated / .deleted of `r`, carrying the message as it is after it. */
export const reactionEvent = (
  type: ReactionEvent['type'],
  m: Message,
  r: Reaction,
  request_id?: string,
): ReactionEvent =>
  valid<ReactionEvent>({
    type,
    request_id,
    ...channelFields,
    message: m,
    reaction: r,
    user: r.user,
    created_at: r.updated_at,
  });

export const replies = (
  request_id: string,
  parent_id: string,
  messages: Message[],
): MessageReplies => valid({ type: 'message.replies', request_id, parent_id, messages });

export const mutesUpdated = (
  mutes: Mute[],
  request_id?: string,
  me: User = alice,
): NotificationMutesUpdatedEvent =>
  valid({
    type: 'notification.mutes_updated',
    request_id,
    me: ownUser(me, mutes),
    created_at: at(60),
  });

/** user.banned of `user` from messaging:general (app-wide when `cid` is false). */
export const banned = (user: User, request_id?: string, inChannel = true): UserBannedEvent =>
  valid({
    type: 'user.banned',
    request_id,
    ...(inChannel ? channelFields : {}),
    user,
    created_by: alice,
    reason: 'spam',
    expiration: at(3600),
    shadow: false,
    created_at: at(70),
  });

export const unbanned = (user: User, request_id?: string): UserUnbannedEvent =>
  valid({
    type: 'user.unbanned',
    request_id,
    ...channelFields,
    user,
    shadow: false,
    created_at: at(80),
  });

export const ok = (request_id: string): Ok => valid({ type: 'ok', request_id });

export const error = (request_id: string, code: ErrorCode, text: string): ErrorFrame =>
  valid({ type: 'error', request_id, code, message: text });

/** A client frame as the mock server received it, with the request_id every request carries. */
export type Received = ClientFrame & { request_id: string };

/** The next frame the client sends. */
export const nextFrame = async (server: WS): Promise<Received> =>
  (await server.nextMessage) as Received;

/** Resolves with the next socket that connects to `server`. */
export const nextConnection = (server: WS): Promise<Client> =>
  new Promise((resolve) =>
    server.on('connection', (socket) => resolve(socket as unknown as Client)),
  );
