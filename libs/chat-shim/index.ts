/**
 * A thin client with stream-chat's names and return shapes, speaking Jatte's WebSocket frames
 * (./frames.ts, generated from schema/frames.schema.json): one socket, a map of pending
 * request_ids, one LocalChannel per cid, and channel.state kept the way the SDK keeps it, so UI
 * code written against Stream's types compiles against it (tests/compat.types.ts shows where it
 * does not). What the schema's `x-shim` annotations declare is generated: each call that is one
 * frame, the typing throttle, and the paged watch a reconnect catches up with (./requests.ts);
 * whether listeners get a server frame, the events they get, ChatError, and what a frame does to
 * a channel's state (unread counts included) and to the client's (user, mutes, the registry of
 * channels) (./events.ts). This file is the socket, the pending requests, the listeners and the
 * message lists. Budget: scripts/size.py.
 */
import type * as F from './frames';
import type { Event, EventHandler, EventType, Flat } from './events';
import { ChatError, FATAL_CLOSE_CODES, channelState, clientState, isEvent } from './events';
import { retryAfter } from './events';
import { channelRequests, clientRequests } from './requests';

type M = F.Message;
/** Where the Jatte socket lives; the default is port 8000 of the page's host. */
export type ClientOptions = { wsUrl?: string };
/** A user as connectUser takes it (Stream's UserResponse has these fields and more). */
export type UserInput = { id: F.UserId; name?: string; image?: string };
/** A token, or Stream's token provider: asked for a fresh one when the server closes with 4002. */
export type TokenOrProvider = string | (() => Promise<string>);
type Listen = [EventHandler] | [EventType, EventHandler];
/** A request awaiting its answer (connectUser's has no frame: the first health.check answers it). */
type Pending = { frame?: F.ClientFrame; to?: LocalChannel; settle(f: F.ServerFrame | Error): void };

// From Stream's SDK: reconnect backoff from 0.25 s up to 25 s with full jitter (anywhere from 0 to
// the backoff, from the first retry); a socket silent for 35 s is dead.
const [BACKOFF_MIN, BACKOFF_MAX, SILENCE] = [250, 25e3, 35e3];
const CONNECT = 'connect';
const split = (a: Listen): [EventType, EventHandler] => (a.length === 1 ? ['all', a[0]] : a);
const randomId = () => crypto.getRandomValues(new BigUint64Array(2)).join('');
const page = globalThis.location;
const DEFAULT_URL = `${page?.protocol === 'https:' ? 'wss' : 'ws'}://${page?.hostname ?? 'localhost'}:8000/ws/chat/`;

/** created_at as a key that sorts to the microsecond (Date.parse stops at the millisecond): the
 * server's UTC times, "…:50Z", "…:50.123Z" or "…:50.802536Z", all as "…:50.802536". */
const when = ({ created_at: t }: M) =>
  t.slice(0, 19) + (t.slice(19).replace('Z', '') || '.').padEnd(7, '0');

/** `list` with each of `ms` that `keeps` put in (when held, or `add`) and the others taken out,
 * oldest first (the sort is stable: messages of the same time keep their order). */
function file(list: M[] = [], ms: M[], add: boolean, keeps: (m: M) => unknown): M[] {
  const byId = new Map(list.map((m) => [m.id, m]));
  for (const m of ms) {
    if (!keeps(m)) byId.delete(m.id);
    else if (add || byId.has(m.id)) byId.set(m.id, m);
  }
  return [...byId.values()].sort((a, b) => (when(a) < when(b) ? -1 : when(a) > when(b) ? 1 : 0));
}

/** Listeners by event type, mitt-style; 'all' gets every event. */
class Emitter {
  #on: [EventType, EventHandler][] = [];
  on(...args: Listen): { unsubscribe: () => void } {
    this.#on = [...this.#on, split(args)];
    return { unsubscribe: () => this.off(...args) };
  }
  off(...args: Listen): void {
    const [type, handler] = split(args);
    this.#on = this.#on.filter(([t, h]) => t !== type || h !== handler);
  }
  /** @internal */
  emit(e: Event): void {
    for (const [type, handler] of this.#on) if (type === e.type || type === 'all') handler(e);
  }
}

/** Stream's StreamChat on one Jatte socket; it reconnects after any close but the fatal ones. */
export class LocalChatClient extends clientRequests(clientState(Emitter)) {
  userID?: F.UserId;
  #auth?: TokenOrProvider;
  #token?: string;
  #ws?: WebSocket;
  #online = false;
  #pending = new Map<string, Pending>();
  #failures = 0;
  #timer?: ReturnType<typeof setTimeout>;

  constructor(private options: ClientOptions = {}) {
    super();
  }

  /** Opens the socket as `user`; resolves with the server's first health.check. */
  async connectUser(user: UserInput, auth: TokenOrProvider): Promise<F.HealthCheckEvent> {
    if (this.userID) throw new Error(`"${this.userID}" is connected`);
    [this.user, this.userID, this.#auth] = [user, user.id, auth];
    void this.#open();
    return this.#wait(CONNECT, {});
  }

  /** Closes the socket with 1000 for good, rejects pending requests, forgets the user and channels. */
  async disconnectUser(_timeout?: number): Promise<void> {
    this.#closed(1000, 'Disconnected');
  }

  /** The one LocalChannel for `type:id`; `_data` (name, members, custom fields) is what its first
   * watch or create() creates it with. Without an id, Stream's distinct channel of `data.members`:
   * a new object each time, filed under the cid the server gives it once watched or created. */
  channel(type: string, id: string | F.WatchData, _data: F.WatchData = {}): LocalChannel {
    if (typeof id !== 'string')
      return Object.assign(new LocalChannel(), { client: this, type, _data: id });
    const fields = { client: this, cid: `${type}:${id}`, type, id, _data };
    return (this.activeChannels[fields.cid] ??= Object.assign(new LocalChannel(), fields));
  }

  /** @internal Sends `frame` with a new request_id, now or once connected; the answer goes to `to`. */
  async request<T extends F.ServerFrame>(frame: F.ClientFrame, to?: LocalChannel): Promise<T> {
    if (!this.userID) throw new Error('Not connected');
    const sent = { ...frame, request_id: randomId() };
    if (sent.type === 'message.new') sent.id ??= randomId(); // what makes a resend safe
    if (this.#online) this.#ws?.send(JSON.stringify(sent));
    return this.#wait(sent.request_id, { frame: sent, to });
  }

  #wait<T>(id: string, p: Omit<Pending, 'settle'>): Promise<T> {
    return new Promise((ok, no) =>
      this.#pending.set(id, { ...p, settle: (f) => (f instanceof Error ? no(f) : ok(f as T)) }),
    );
  }

  async #open(): Promise<void> {
    const auth = this.#auth;
    this.#token ??= typeof auth === 'function' ? await auth().catch(() => undefined) : auth;
    if (auth !== this.#auth) return; // disconnected while the provider ran
    if (this.#token === undefined) return this.#closed(4000, 'no token');
    this.socketUrl = `${this.options.wsUrl ?? DEFAULT_URL}?token=${encodeURIComponent(this.#token)}`;
    const ws = (this.#ws = new WebSocket(this.socketUrl));
    // #closed drops this.#ws first, so the socket it closes is not mistaken for the current one.
    ws.onclose = ({ code, reason }) => ws === this.#ws && this.#closed(code, reason);
    ws.onmessage = ({ data }) => ws === this.#ws && this.#receive(JSON.parse(String(data)));
  }

  /** Settles the request a frame answers (before listeners, which may throw), updates the state
   * of the channel it is for, then runs listeners unless it is only an answer. */
  #receive(f: Flat<F.ServerFrame>): void {
    // The server sends a frame at least every 25 s; silence past SILENCE means the socket is dead.
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#closed(4000, 'silent'), SILENCE);
    this.applyClientFrame(f);
    const id = f.type === 'health.check' && !this.#online ? this.#opened() : (f.request_id ?? '');
    const p = this.#pending.get(id);
    const channel = p?.to ?? this.activeChannels[f.cid ?? ''];
    this.#pending.delete(id);
    p?.settle(f.type === 'error' ? new ChatError(f.message, f.code) : f);
    channel?.applyFrame(f);
    if (isEvent(f)) for (const listeners of [channel, this]) listeners?.emit(f);
  }

  /** A socket's first frame: after a reconnect, re-watch for what was missed, then resend what is
   * unanswered. Returns the id of connectUser's request, which it answers. */
  #opened(): string {
    const [unanswered, recovering] = [[...this.#pending.values()], !this.#pending.has(CONNECT)];
    [this.#online, this.#failures] = [true, 0];
    this.emit({ type: 'connection.changed', online: true });
    // What each watched channel missed: the messages after the newest one it holds.
    const watched = Object.values(this.activeChannels).filter((c) => recovering && c.initialized);
    const done = Promise.allSettled(watched.map((c) => c.watchAfter(c.state.messages.at(-1)?.id)));
    if (recovering) void done.then(() => this.emit({ type: 'connection.recovered' }));
    for (const p of unanswered) if (p.frame) this.#ws?.send(JSON.stringify(p.frame));
    return CONNECT;
  }

  /** The socket is gone: reconnect after a backoff or, after a fatal close, end the session. */
  #closed(code: number, reason: string): void {
    this.#ws?.close(1000);
    this.#ws = undefined;
    clearTimeout(this.#timer);
    if (this.#online) this.emit({ type: 'connection.changed', online: (this.#online = false) });
    if (code === 4002 && typeof this.#auth === 'function') this.#token = undefined;
    else if (FATAL_CLOSE_CODES.includes(code)) {
      const error = new ChatError(`Closed (${code}): ${reason}`, code);
      this.#pending.forEach((p) => p.settle(error));
      this.#pending.clear();
      this.#auth = this.#token = this.user = this.userID = this.socketUrl = undefined;
      [this.activeChannels, this.#failures, this.mutedUsers] = [{}, 0, []];
      return;
    }
    // A server at capacity (4013) names a delay: wait that long, then a jitter up to as long again
    // (or the backoff, if longer), so a reconnecting crowd spreads out instead of coming back at once.
    const after = retryAfter(code, reason);
    const backoff = Math.max(after, Math.min(BACKOFF_MAX, BACKOFF_MIN * 2 ** this.#failures++));
    this.#timer = setTimeout(() => void this.#open(), after + Math.random() * backoff);
  }
}

/** Stream's Channel: calls go through the client's socket; frames update `state` before listeners run. */
export class LocalChannel extends channelRequests(channelState(Emitter)) {
  /** @internal Files messages where the SDK keeps them: the channel's list (top level, or shown in
   * it), their thread, the pins. `add` puts in what is not held yet; a hard delete takes them out. */
  put(ms: M[], add: boolean, fanOut: boolean, hard?: boolean): void {
    const s = this.state;
    const held = [...s.messages, ...s.pinnedMessages, ...Object.values(s.threads).flat()];
    // A copy fanned out to every watcher carries no one's own_reactions: keep the ones held.
    const own = (m: M) => fanOut && held.find((h) => h.id === m.id)?.own_reactions;
    ms = ms.map((m) => ({ ...m, own_reactions: own(m) || m.own_reactions }));
    s.messages = file(s.messages, ms, add, (m) => !hard && (!m.parent_id || m.show_in_channel));
    s.pinnedMessages = file(s.pinnedMessages, ms, true, (m) => !hard && m.pinned);
    for (const p of new Set(ms.map((m) => m.parent_id)))
      if (p && (add || s.threads[p]))
        s.threads[p] = file(s.threads[p], ms, add, (m) => !hard && m.parent_id === p);
  }
}

export type { Event, EventHandler, EventType };
export { ChatError, LocalChatClient as StreamChat, LocalChannel as Channel };
export { LocalChannelState } from './events';
