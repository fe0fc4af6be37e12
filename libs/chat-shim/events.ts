/* GENERATED from schema/frames.schema.json by `tools/dev codegen`. DO NOT EDIT. */
/**
 * What the server's frames do in the shim, generated from the `x-shim` annotations on the server
 * frames (tools/codegen.py says how to write one): which of them reach listeners (`isEvent`), the
 * events listeners get (`Event`, with the client-side ones ServerFrame's annotation declares), the
 * channel state they keep (`LocalChannelState`), and `channelState(Base)`, which adds that state
 * and `applyFrame(frame)` to a class. FATAL_CLOSE_CODES comes from the CloseCode annotation, the
 * error class (ChatError) from ErrorCode's.
 */
import type * as F from './frames';

// TypeScript's rule for a mixin: its base's constructor takes any arguments.
type Base = abstract new (...args: any[]) => object;

/** The server frames listeners get: all but those that only answer a request. */
export type ServerEvent =
  | F.HealthCheckEvent
  | F.MessageNewEvent
  | F.TypingStartEvent
  | F.TypingStopEvent
  | F.MessageReadEvent
  | F.UserWatchingStartEvent
  | F.UserWatchingStopEvent
  | F.MessageUpdatedEvent
  | F.MessageDeletedEvent
  | F.ReactionNewEvent
  | F.ReactionUpdatedEvent
  | F.ReactionDeletedEvent
  | F.NotificationMutesUpdatedEvent
  | F.UserBannedEvent
  | F.UserUnbannedEvent;
/** The frames that only answer a request (x-shim "answer"): they settle it, and may
 * update state, but reach no listener. */
const ANSWERS: ReadonlySet<string> = new Set([
  'channel.state',
  'message.sent',
  'ok',
  'error',
  'message.replies',
]);

/** Whether listeners get `frame`: it is not only the answer to a request. */
export function isEvent(frame: F.ServerFrame): frame is ServerEvent {
  return !ANSWERS.has(frame.type);
}

/** The events the shim itself emits (ServerFrame's x-shim "local_events"). */
type LocalEvent =
  { type: 'connection.changed'; online: boolean } | { type: 'connection.recovered' };
/** Each member of the union also shows the others' fields as optional `undefined`, so
 * `e.message?.text` reads as it does on Stream's flat Event, and `switch (e.type)` still narrows. */
export type Flat<T, K extends PropertyKey = T extends unknown ? keyof T : never> = T extends unknown
  ? T & { [P in Exclude<K, keyof T>]?: undefined }
  : never;
/** What a listener gets: the server's events, and the client-side connection events. */
export type Event = Flat<ServerEvent | LocalEvent>;
/** What a listener listens to: one event type, or 'all'. */
export type EventType = Event['type'] | 'all';
export type EventHandler = (event: Event) => void;

/** Raised when the server refuses a request (an ErrorCode) or the connection (a CloseCode). */
export class ChatError extends Error {
  readonly code: F.ErrorCode | F.CloseCode;
  constructor(message: string, code: ChatError['code']) {
    super(message);
    this.code = code;
  }
}

/**
 * The closes after which the shim does not reconnect (CloseCode's x-shim "fatal"): NORMAL (1000),
 * UNAUTHORIZED (4001), TOKEN_EXPIRED (4002), FORBIDDEN_ORIGIN (4003), TOO_MANY_CONNECTIONS (4029).
 */
export const FATAL_CLOSE_CODES: readonly number[] = [1000, 4001, 4002, 4003, 4029];

/** channel.state: the part of the SDK's ChannelState the shim keeps (times stay ISO
 * strings), a field for each one the server frames' x-shim "state" writes. */
export class LocalChannelState {
  /** The channel's messages, oldest first: top level, and replies shown in it. */
  messages: F.Message[] = [];
  /** Each thread's replies, oldest first, by parent id. */
  threads: Record<F.MessageId, F.Message[]> = {};
  /** The pinned messages, oldest first. */
  pinnedMessages: F.Message[] = [];
  /** From channel.state. */
  members: Record<F.UserId, F.Member> = {};
  /** From channel.state, message.new, message.read. */
  read: Record<F.UserId, F.Read> = {};
  /** From channel.state, user.watching.start, user.watching.stop. */
  watcher_count: number = 0;
  /** From typing.start, typing.stop. */
  typing: Record<F.UserId, F.TypingStartEvent> = {};
}

/** Adds to `base` the channel state the server's frames keep, and `applyFrame`. */
export function channelState<B extends Base>(base: B) {
  abstract class ChannelStateUpdates extends base {
    /**
     * Stream's channel.data: channel.state's `channel`, with its `own_capabilities` and `config`.
     */
    data?: F.Channel & Pick<F.ChannelState, 'own_capabilities' | 'config'>;
    /** Whether a channel.state answer has filled `data` and `state`. */
    initialized = false;
    state = new LocalChannelState();
    /** Files messages into the message lists of `state` (LocalChannel.put): `add` puts in
     * what is not held, `fanOut` keeps the held own_reactions, `hard` takes them out. */
    abstract put(messages: F.Message[], add: boolean, fanOut: boolean, hard?: boolean): void;

    /** @internal Updates `state` (and `data`) from a frame for this channel, as its x-shim
     * "state" says. */
    applyFrame(frame: F.ServerFrame): void {
      const { state } = this;
      switch (frame.type) {
        case 'channel.state':
          this.data = {
            ...frame.channel,
            own_capabilities: frame.own_capabilities,
            config: frame.config,
          };
          this.initialized = true;
          state.members = Object.fromEntries(frame.members.map((x) => [x.user.id, x]));
          state.read = Object.fromEntries(frame.read.map((x) => [x.user.id, x]));
          state.pinnedMessages = frame.pinned_messages;
          state.watcher_count = frame.watcher_count;
          this.put(frame.messages, true, false);
          return;
        case 'message.sent':
          this.put([frame.message], true, false);
          return;
        case 'message.new':
          this.put([frame.message], true, true);
          state.read[frame.user.id] = {
            user: frame.user,
            last_read: frame.created_at,
            last_read_message_id: frame.message.id,
            unread_messages: 0,
          };
          return;
        case 'typing.start':
          state.typing[frame.user.id] = frame;
          return;
        case 'typing.stop':
          delete state.typing[frame.user.id];
          return;
        case 'message.read':
          state.read[frame.user.id] = {
            user: frame.user,
            last_read: frame.created_at,
            last_read_message_id: frame.last_read_message_id,
            unread_messages: 0,
          };
          return;
        case 'user.watching.start':
        case 'user.watching.stop':
          state.watcher_count = frame.watcher_count;
          return;
        case 'message.updated':
        case 'reaction.new':
        case 'reaction.updated':
        case 'reaction.deleted':
          this.put([frame.message], false, !frame.request_id);
          return;
        case 'message.deleted':
          this.put([frame.message], false, !frame.request_id, frame.hard_delete);
          return;
        case 'message.replies':
          this.put(frame.messages, true, false);
          return;
      }
    }
  }
  return ChannelStateUpdates;
}
