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
  ChannelState, ClientFrame, ErrorCode, ErrorFrame, HealthCheckEvent, Message, MessageNewEvent, MessageReadEvent,
  MessageSent, Ok, ServerFrame, TypingStartEvent, TypingStopEvent, User, UserWatchingStartEvent,
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
    throw new Error(`not a valid ServerFrame: ${ajv.errorsText(validateServerFrame.errors)}\n${JSON.stringify(wire)}`);
  }
  return wire;
}

/** An ISO 8601 time `seconds` after a fixed instant. */
export const at = (seconds: number): string => new Date(Date.UTC(2026, 10, 25, 20, 0, seconds)).toISOString();

export const healthCheck = (me: User = alice, request_id?: string): HealthCheckEvent =>
  valid({
    type: 'health.check', request_id, connection_id: 'conn-1', cid: '*', created_at: at(0),
    me: { ...me, role: 'user', mutes: [], channel_mutes: [], unread_count: 0, total_unread_count: 0, unread_channels: 0, unread_threads: 0, devices: [] },
  });

export const message = (id: string, text: string, user: User = alice, seconds = 1): Message => ({
  id, cid: CID, text, html: `<p>${text}</p>`, type: 'regular', user, created_at: at(seconds), updated_at: at(seconds),
  reply_count: 0, attachments: [], mentioned_users: [], latest_reactions: [], own_reactions: [], reaction_counts: {},
  pinned: false, silent: false,
});

const channelFields = { channel_type: 'messaging', channel_id: 'general', cid: CID };

export const channelState = (request_id: string, messages: Message[], watcher_count = 1): ChannelState =>
  valid({
    type: 'channel.state', request_id, cid: CID, messages, pinned_messages: [], watcher_count,
    channel: {
      id: 'general', type: 'messaging', cid: CID, name: 'General', created_by: alice, created_at: at(0), updated_at: at(0),
      member_count: 2, frozen: false, disabled: false,
    },
    members: [alice, bob].map((user) => ({
      user_id: user.id, user, role: user === alice ? 'owner' : 'member', channel_role: 'channel_member',
      created_at: at(0), updated_at: at(0),
    })),
    read: [{ user: alice, last_read: at(0), unread_messages: 0 }, { user: bob, last_read: at(0), unread_messages: 2 }],
  });

export const messageNew = (m: Message): MessageNewEvent =>
  valid({ type: 'message.new', ...channelFields, message_id: m.id, message: m, user: m.user, created_at: m.created_at });

export const messageSent = (request_id: string, m: Message, duplicate = false): MessageSent =>
  valid({ type: 'message.sent', request_id, cid: CID, message: m, duplicate });

export const messageRead = (user: User, last_read_message_id: string, request_id?: string): MessageReadEvent =>
  valid({ type: 'message.read', request_id, ...channelFields, last_read_message_id, user, created_at: at(30) });

export const typing = (type: 'typing.start' | 'typing.stop', user: User): TypingStartEvent | TypingStopEvent =>
  valid({ type, ...channelFields, user, created_at: at(20) });

export const watching = (watcher_count: number, user: User = bob): UserWatchingStartEvent =>
  valid({ type: 'user.watching.start', ...channelFields, user, watcher_count, created_at: at(10) });

export const ok = (request_id: string): Ok => valid({ type: 'ok', request_id });

export const error = (request_id: string, code: ErrorCode, text: string): ErrorFrame =>
  valid({ type: 'error', request_id, code, message: text });

/** A client frame as the mock server received it, with the request_id every request carries. */
export type Received = ClientFrame & { request_id: string };

/** The next frame the client sends. */
export const nextFrame = async (server: WS): Promise<Received> => (await server.nextMessage) as Received;

/** Resolves with the next socket that connects to `server`. */
export const nextConnection = (server: WS): Promise<Client> =>
  new Promise((resolve) => server.on('connection', (socket) => resolve(socket as unknown as Client)));
