/**
 * A thin client with stream-chat's names and return shapes, speaking Jatte's WebSocket frames
 * (./frames.ts, generated from schema/frames.schema.json): one socket, a map of pending request_ids,
 * one LocalChannel per cid, and channel.state kept the way the SDK keeps it, so UI code written
 * against Stream's types compiles against it (tests/compat.types.ts shows where it does not).
 * Budget: 150 counted lines and 2 KiB gzipped (scripts/size.py), the way mitt checks its size.
 */
import { CloseCode } from './frames';
import type { Channel, ChannelState, ClientFrame, ErrorCode, ErrorFrame, HealthCheckEvent, Member, Message, MessageId } from './frames';
import type { MessagePagination, MessageReadEvent, MessageSent, Ok, OwnUser, Read, ServerFrame, TypingStartEvent, UserId, WatchData } from './frames';

/** Where the Jatte socket lives; the default is port 8000 of the page's host. */
export interface ClientOptions { wsUrl?: string }
/** A user as connectUser takes it (Stream's UserResponse has these fields and more). */
export interface UserInput { id: UserId; name?: string; image?: string }
/** channel.state: the part of the SDK's ChannelState the shim keeps (times stay ISO strings). */
export interface LocalChannelState { messages: Message[]; read: Record<UserId, Read>; members: Record<UserId, Member>;
  typing: Record<UserId, TypingStartEvent>; watcher_count: number }
/** Each member of the union also shows the others' fields as optional `undefined`, so `e.message?.text`
 * reads as it does on Stream's flat Event, and `switch (e.type)` still narrows. */
type Flat<T, U = T> = T extends unknown ? T & { [K in Exclude<U extends unknown ? keyof U : never, keyof T>]?: undefined } : never;
/** What a listener gets: the server's events, and the client-side connection events. */
export type Event = Flat<Exclude<ServerFrame, ChannelState | MessageSent | Ok | ErrorFrame>
  | { type: 'connection.changed'; online: boolean } | { type: 'connection.recovered' }>;
export type EventType = Event['type'] | 'all';
export type EventHandler = (event: Event) => void;
type Listen = [EventHandler] | [EventType, EventHandler];
/** A request awaiting its answer. connectUser's has no frame: the socket's first health.check answers it. */
type Pending = { frame?: ClientFrame; resolve: (frame: ServerFrame) => void; reject: (error: Error) => void };

// From Stream's SDK: typing.start at most every 2 s, typing.stop 1 s after the last keystroke,
// reconnect backoff from 0.25 s up to 25 s, jittered; a socket silent for 35 s is dead.
const TYPING_INTERVAL = 2000, TYPING_IDLE = 1000, BACKOFF_MIN = 250, BACKOFF_MAX = 25000, SILENCE = 35000, CONNECT = 'connect';
const split = (args: Listen): [EventType, EventHandler] => (args.length === 1 ? ['all', args[0]] : args);
const randomId = () => Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
// Closes that end the session for good; any other code reconnects.
const FATAL = new Set<number>([CloseCode.NORMAL, CloseCode.UNAUTHORIZED, CloseCode.FORBIDDEN_ORIGIN, CloseCode.TOO_MANY_CONNECTIONS]);
// After a reconnect: what was missed, in pages of 300 (the server's cap) after each page's last message.
const catchUp = (c: LocalChannel, id_gt?: MessageId): Promise<unknown> => c.watch({ messages: { id_gt, limit: 300 } }).then((s) => s.messages.length === 300 && catchUp(c, s.messages.at(-1)?.id));
const DEFAULT_URL = `${globalThis.location?.protocol === 'https:' ? 'wss' : 'ws'}://${globalThis.location?.hostname ?? 'localhost'}:8000/ws/chat/`;

/** Raised when the server refuses a request (an ErrorCode) or the connection (a CloseCode). */
export class ChatError extends Error { constructor(message: string, readonly code: ErrorCode | CloseCode) { super(message); } }

/** Listeners by event type, mitt-style; 'all' gets every event. */
class Emitter {
  #listeners = new Map<EventType, Set<EventHandler>>();
  on(...args: Listen): { unsubscribe: () => void } {
    const [type, handler] = split(args);
    this.#listeners.set(type, (this.#listeners.get(type) ?? new Set()).add(handler));
    return { unsubscribe: () => this.off(type, handler) };
  }
  off(...args: Listen): void { const [type, handler] = split(args); this.#listeners.get(type)?.delete(handler); }
  /** @internal */
  emit(event: Event): void { for (const h of [...(this.#listeners.get(event.type) ?? []), ...(this.#listeners.get('all') ?? [])]) h(event); }
}

/** Stream's StreamChat on one Jatte socket; it reconnects after any close but 1000 and 4001. */
export class LocalChatClient extends Emitter {
  user?: UserInput | OwnUser;
  userID?: UserId;
  activeChannels: Record<string, LocalChannel> = {};
  #token?: string;
  #ws?: WebSocket;
  #online = false;
  #pending = new Map<string, Pending>();
  #failures = 0;
  #timer?: ReturnType<typeof setTimeout>;

  constructor(private options: ClientOptions = {}) { super(); }

  /** Opens the socket as `user`; resolves with the server's first health.check. */
  connectUser(user: UserInput, token: string): Promise<HealthCheckEvent> {
    if (this.userID) return Promise.reject(new Error(`"${this.userID}" is connected`));
    [this.user, this.userID, this.#token] = [user, user.id, token];
    this.#open();
    return new Promise((resolve, reject) => this.#pending.set(CONNECT, { resolve: resolve as Pending['resolve'], reject }));
  }

  /** Closes the socket with 1000 for good, rejects pending requests, forgets the user and channels. */
  async disconnectUser(_timeout?: number): Promise<void> { this.#shut(new ChatError('Disconnected', CloseCode.NORMAL)); }

  /** The one LocalChannel for `type:id`; `data` (name, members) is used when the first watch creates it. */
  channel(type: string, id: string, data?: WatchData): LocalChannel {
    return (this.activeChannels[`${type}:${id}`] ??= new LocalChannel(this, type, id, data));
  }

  /** @internal Sends `frame` with a new request_id (now, or once connected) and resolves with its answer. */
  request<T extends ServerFrame>(frame: ClientFrame): Promise<T> {
    if (!this.userID) return Promise.reject(new Error('Not connected'));
    const sent = { ...frame, request_id: randomId() };
    if (this.#online) this.#ws?.send(JSON.stringify(sent));
    return new Promise((resolve, reject) => this.#pending.set(sent.request_id, { frame: sent, resolve: resolve as Pending['resolve'], reject }));
  }

  #open(): void {
    const ws = (this.#ws = new WebSocket(`${this.options.wsUrl ?? DEFAULT_URL}?token=${encodeURIComponent(this.#token ?? '')}`));
    const lost = (code: number, reason: string) => { if (ws === this.#ws) { this.#ws = undefined; ws.close(); this.#closed(code, reason); } };
    // The server sends a frame at least every 25 s; silence past SILENCE means the socket is dead.
    ws.onmessage = (m) => { if (ws !== this.#ws) return; clearTimeout(this.#timer); this.#timer = setTimeout(() => lost(4000, 'silent'), SILENCE); this.#receive(JSON.parse(String(m.data)) as ServerFrame); };
    ws.onclose = ({ code, reason }) => lost(code, reason);
  }

  /** Settles the request the frame answers (a throwing listener cannot strand it), updates state, runs listeners. */
  #receive(f: ServerFrame): void {
    const id = f.type === 'health.check' && !this.#online ? this.#opened(f) : ('request_id' in f && f.request_id) || '';
    const p = this.#pending.get(id), channel = 'cid' in f ? this.activeChannels[f.cid] : undefined;
    this.#pending.delete(id);
    if (f.type === 'error') p?.reject(new ChatError(f.message, f.code));
    else p?.resolve(f);
    if (f.type === 'channel.state') channel?.fill(f);
    else if (f.type === 'message.sent') channel?.add(f.message);
    else if (f.type !== 'ok' && f.type !== 'error') this.emit(channel?.apply(f) ?? f);
  }

  /** A socket's first frame: after a reconnect, re-watch for what was missed (id_gt); then resend what is unanswered. */
  #opened(f: HealthCheckEvent): string {
    const unanswered = [...this.#pending.values()];
    [this.#online, this.#failures, this.user] = [true, 0, f.me];
    this.emit({ type: 'connection.changed', online: true });
    const rewatch = this.#pending.has(CONNECT) ? undefined : Object.values(this.activeChannels).filter((c) => c.initialized);
    if (rewatch) void Promise.allSettled(rewatch.map((c) => catchUp(c, c.state.messages.at(-1)?.id))).then(() => this.emit({ type: 'connection.recovered' }));
    for (const p of unanswered) if (p.frame) this.#ws?.send(JSON.stringify(p.frame));
    return CONNECT;
  }

  #closed(code: number, reason: string): void {
    if (this.#online) this.emit({ type: 'connection.changed', online: (this.#online = false) });
    if (FATAL.has(code)) return this.#shut(new ChatError(`Closed (${code}): ${reason}`, code));
    this.#timer = setTimeout(() => this.#open(), Math.min(BACKOFF_MAX, BACKOFF_MIN * 2 ** this.#failures++) * (0.5 + Math.random() / 2));
  }

  #shut(error: ChatError): void {
    this.#ws?.close(CloseCode.NORMAL); // its close event finds this.#ws changed and is ignored
    clearTimeout(this.#timer);
    this.#pending.forEach((p) => p.reject(error));
    this.#pending.clear();
    this.#ws = this.#token = this.user = this.userID = undefined;
    [this.#online, this.activeChannels, this.#failures] = [false, {}, 0];
  }
}

/** Stream's Channel: requests go through the client's socket; events update `state` before listeners run. */
export class LocalChannel extends Emitter {
  data?: Channel;
  initialized = false;
  state: LocalChannelState = { messages: [], read: {}, members: {}, typing: {}, watcher_count: 0 };
  #lastTyping = 0;
  #typingTimer?: ReturnType<typeof setTimeout>;

  constructor(private client: LocalChatClient, readonly type: string, readonly id: string, private init: WatchData = {}) { super(); }

  get cid(): string { return `${this.type}:${this.id}`; }

  /** Creates the channel if new, subscribes to its events, fills `state`; resolves with the channel.state frame. */
  watch(options: { messages?: MessagePagination } = {}): Promise<ChannelState> {
    return this.client.request({ type: 'channel.watch', cid: this.cid, data: this.init, messages: options.messages });
  }

  /** Sends a message; its `id` (made here when absent) makes a resend safe. Resolves with the stored message. */
  sendMessage({ text, id = randomId(), parent_id }: { text: string; id?: MessageId; parent_id?: MessageId }): Promise<MessageSent> {
    return this.client.request({ type: 'message.new', cid: this.cid, text, id, parent_id });
  }

  /** Marks the channel read up to its newest message; resolves with the message.read event. */
  async markRead(): Promise<{ event: MessageReadEvent }> {
    return { event: await this.client.request<MessageReadEvent>({ type: 'message.read', cid: this.cid }) };
  }

  /** Call on every keystroke: typing.start at most every 2 s, typing.stop after 1 s without one. */
  async keystroke(parent_id?: MessageId): Promise<void> {
    clearTimeout(this.#typingTimer);
    this.#typingTimer = setTimeout(() => this.stopTyping(parent_id).catch(() => undefined), TYPING_IDLE);
    if (Date.now() - this.#lastTyping < TYPING_INTERVAL) return;
    this.#lastTyping = Date.now();
    await this.client.request({ type: 'typing.start', cid: this.cid, parent_id });
  }

  async stopTyping(parent_id?: MessageId): Promise<void> {
    clearTimeout(this.#typingTimer);
    this.#lastTyping = 0;
    await this.client.request({ type: 'typing.stop', cid: this.cid, parent_id });
  }

  /** @internal Takes a channel.state answer: merges its messages; replaces members, read and watcher_count. */
  fill(s: ChannelState): void {
    const members = Object.fromEntries(s.members.map((m) => [m.user_id, m]));
    Object.assign(this.state, { members, read: Object.fromEntries(s.read.map((r) => [r.user.id, r])), watcher_count: s.watcher_count });
    [this.initialized, this.data] = [true, s.channel];
    this.add(...s.messages);
  }

  /** @internal Merges messages by id (the newer copy wins), ordered by created_at. */
  add(...messages: Message[]): void {
    const byId = new Map([...this.state.messages, ...messages].map((m) => [m.id, m]));
    this.state.messages = [...byId.values()].sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  }

  /** @internal Updates state from an event (a sender has read its own message), then runs this channel's listeners. */
  apply(e: Event): Event {
    if (e.type === 'message.new') this.add(e.message);
    if (e.type === 'message.new' || e.type === 'message.read') {
      const last_read_message_id = e.message?.id ?? e.last_read_message_id;
      this.state.read[e.user.id] = { user: e.user, last_read: e.created_at, last_read_message_id, unread_messages: 0 };
    }
    if (e.type === 'typing.start') this.state.typing[e.user.id] = e;
    if (e.type === 'typing.stop') delete this.state.typing[e.user.id];
    if (e.type === 'user.watching.start' || e.type === 'user.watching.stop') this.state.watcher_count = e.watcher_count;
    this.emit(e);
    return e;
  }
}

export { LocalChatClient as StreamChat, LocalChannel as Channel };
