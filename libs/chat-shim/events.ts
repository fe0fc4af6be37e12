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
import type { LocalChannel } from './index';

// TypeScript's rule for a mixin: its base's constructor takes any arguments.
type Base = abstract new (...args: any[]) => object;

/** What a channel's state uses of its client (LocalChatClient): who is signed in and whom they
 * muted (for unread counts), and the registry a distinct channel files itself in. */
export type ChannelClient = {
  userID?: F.UserId;
  mutedUsers: F.Mute[];
  activeChannels: Record<string, object>;
};

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
  | F.UserUnbannedEvent
  | F.ChannelUpdatedEvent
  | F.ChannelDeletedEvent
  | F.MemberAddedEvent
  | F.MemberRemovedEvent
  | F.MemberUpdatedEvent
  | F.NotificationAddedToChannelEvent
  | F.NotificationRemovedFromChannelEvent
  | F.NotificationMarkUnreadEvent
  | F.NotificationMessageNewEvent
  | F.NotificationMarkReadEvent
  | F.UserPresenceChangedEvent;
/** The frames that only answer a request (x-shim "answer"): they settle it, and may
 * update state, but reach no listener. */
const ANSWERS: ReadonlySet<string> = new Set([
  'channel.state',
  'message.sent',
  'ok',
  'error',
  'message.replies',
  'channels.state',
  'unread.counts',
  'members.list',
  'users.list',
  'search.results',
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

/** The milliseconds a TRY_AGAIN_LATER (4013) close asks the shim to wait before reconnecting (its
 * reason says "retry after N ms"; CloseCode's x-shim "retry_after"); 0 after any other close. */
export const retryAfter = (code: number, reason: string): number =>
  code === 4013 ? Number(/retry after (\d+) ms/.exec(reason)?.[1] ?? 0) : 0;

/** channel.state: the part of the SDK's ChannelState the shim keeps (times stay ISO
 * strings), a field for each one the server frames' x-shim "state" writes. */
export class LocalChannelState {
  /** The channel's messages, oldest first: top level, and replies shown in it. */
  messages: F.Message[] = [];
  /** Each thread's replies, oldest first, by parent id. */
  threads: Record<F.MessageId, F.Message[]> = {};
  /** The pinned messages, oldest first. */
  pinnedMessages: F.Message[] = [];
  /**
   * From channel.state, channel.updated, member.added, member.removed, member.updated,
   * user.presence.changed.
   */
  members: Record<F.UserId, F.Member> = {};
  /**
   * From channel.state, message.new, message.read, notification.mark_unread,
   * notification.mark_read.
   */
  read: Record<F.UserId, F.Read> = {};
  /** From channel.state, user.watching.start, user.watching.stop. */
  watcher_count: number = 0;
  /**
   * From channel.state, message.new, message.read, notification.mark_unread,
   * notification.message_new, notification.mark_read.
   */
  unreadCount: number = 0;
  /** From typing.start, typing.stop. */
  typing: Record<F.UserId, F.TypingStartEvent> = {};
}

/** Adds to `base` the channel state the server's frames keep, and `applyFrame`. */
export function channelState<B extends Base>(base: B) {
  abstract class ChannelStateUpdates extends base {
    /** The client whose socket and registry the channel uses. */
    declare readonly client: ChannelClient;
    /** `type:id`; a distinct channel (no id) has neither until its cid is known. */
    declare cid: F.Cid;
    declare id: string;
    /**
     * Stream's channel.data: channel.state's `channel`, with its `own_capabilities` and `config`.
     */
    data?: F.Channel & Pick<F.ChannelState, 'own_capabilities' | 'config'>;
    /** Whether a channel.state answer has filled `data` and `state`. */
    initialized = false;
    state = new LocalChannelState();

    /** Stream's channel.countUnread(): the unread count the frames keep (`state.unreadCount`) or,
     * given `lastRead`, how many of the held messages after it count as unread. */
    countUnread(lastRead?: Date | null): number {
      if (!lastRead) return this.state.unreadCount;
      return this.state.messages.filter(
        (m) => Date.parse(m.created_at) > +lastRead && this.#counts(m),
      ).length;
    }
    /** Whether a message counts as unread, as Stream counts it: someone else's, not a muted
     * user's, neither silent nor a system message, shown in the channel, and the user reads it. */
    #counts(m: F.Message): boolean {
      const muted = this.client.mutedUsers.some((mute) => mute.target.id === m.user.id);
      const reads = this.data?.own_capabilities.includes('read-events') ?? true;
      const shown = !m.parent_id || !!m.show_in_channel;
      return (
        m.user.id !== this.client.userID &&
        !muted &&
        !m.silent &&
        m.type !== 'system' &&
        shown &&
        reads
      );
    }

    /** Files a channel made without an id (a distinct one) under the cid the server gave it. */
    #adopt(cid: F.Cid, id: string): void {
      if (this.cid) return;
      [this.cid, this.id] = [cid, id];
      this.client.activeChannels[cid] = this;
    }

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
          this.#adopt(frame.cid, frame.channel.id);
          state.members = Object.fromEntries(frame.members.map((x) => [x.user.id, x]));
          state.read = Object.fromEntries(frame.read.map((x) => [x.user.id, x]));
          state.pinnedMessages = frame.pinned_messages;
          state.watcher_count = frame.watcher_count;
          this.put(frame.messages, true, false);
          state.unreadCount =
            frame.read.find((r) => r.user.id === this.client.userID)?.unread_messages ?? 0;
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
          state.unreadCount =
            frame.user.id === this.client.userID
              ? 0
              : state.unreadCount + Number(this.#counts(frame.message));
          return;
        case 'typing.start':
          state.typing[frame.user.id] = frame;
          return;
        case 'typing.stop':
          delete state.typing[frame.user.id];
          return;
        case 'message.read':
          if (frame.thread_id) return;
          state.read[frame.user.id] = {
            user: frame.user,
            last_read: frame.created_at,
            last_read_message_id: frame.last_read_message_id,
            unread_messages: 0,
          };
          if (frame.user.id === this.client.userID) state.unreadCount = 0;
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
        case 'channel.updated':
          this.#adopt(frame.cid, frame.channel.id);
          if (this.data)
            this.data = {
              ...frame.channel,
              own_capabilities: this.data.own_capabilities,
              config: this.data.config,
            };
          if (frame.members)
            state.members = Object.fromEntries(frame.members.map((x) => [x.user.id, x]));
          return;
        case 'channel.deleted':
          delete this.client.activeChannels[frame.cid];
          return;
        case 'member.added':
        case 'member.updated':
          state.members[frame.user.id] = frame.member;
          return;
        case 'member.removed':
          delete state.members[frame.user.id];
          return;
        case 'notification.mark_unread':
          state.read[frame.user.id] = {
            user: frame.user,
            last_read: frame.last_read_at,
            last_read_message_id: frame.last_read_message_id,
            unread_messages: frame.unread_messages,
          };
          state.unreadCount = frame.unread_messages;
          return;
        case 'notification.message_new':
          if (this.data)
            this.data = {
              ...frame.channel,
              own_capabilities: this.data.own_capabilities,
              config: this.data.config,
            };
          this.put([frame.message], true, true);
          state.unreadCount = frame.unread_count;
          return;
        case 'notification.mark_read':
          if (frame.thread_id) return;
          state.read[frame.user.id] = {
            user: frame.user,
            last_read: frame.created_at,
            last_read_message_id: frame.last_read_message_id,
            unread_messages: 0,
          };
          state.unreadCount = frame.unread_count;
          return;
        case 'user.presence.changed':
          if (state.members[frame.user.id])
            state.members[frame.user.id] = { ...state.members[frame.user.id], user: frame.user };
          return;
      }
    }
  }
  return ChannelStateUpdates;
}

/** Adds to `base` the client state the server's frames keep (their x-shim "client"), and
 * `applyClientFrame`. */
export function clientState<B extends Base>(base: B) {
  abstract class ClientStateUpdates extends base {
    /**
     * The signed-in user: connectUser's, then `me` of health.check, notification.mutes_updated,
     * with the unread totals of notification.mark_unread, notification.message_new,
     * notification.mark_read.
     */
    user?: Pick<F.OwnUser, 'id'> & Partial<F.OwnUser>;
    /** Whom the user has muted: `me.mutes` of health.check, notification.mutes_updated. */
    mutedUsers: F.Mute[] = [];
    /**
     * The channels by cid: LocalChatClient.channel() files each (a distinct channel once its cid is
     * known).
     */
    activeChannels: Record<string, LocalChannel> = {};

    /** @internal Updates the client from a frame, as its x-shim "client" says. */
    applyClientFrame(frame: F.ServerFrame): void {
      switch (frame.type) {
        case 'health.check':
          if (frame.me) [this.user, this.mutedUsers] = [frame.me, frame.me.mutes];
          return;
        case 'notification.mutes_updated':
          [this.user, this.mutedUsers] = [frame.me, frame.me.mutes];
          return;
        case 'notification.mark_unread':
        case 'notification.mark_read':
          if (this.user)
            this.user = {
              ...this.user,
              total_unread_count: frame.total_unread_count,
              unread_channels: frame.unread_channels,
              unread_threads: frame.unread_threads,
            };
          return;
        case 'notification.message_new':
          if (this.user)
            this.user = {
              ...this.user,
              total_unread_count: frame.total_unread_count,
              unread_channels: frame.unread_channels,
            };
          return;
        case 'user.presence.changed':
          for (const channel of Object.values(this.activeChannels)) channel.applyFrame(frame);
          return;
      }
    }
  }
  return ClientStateUpdates;
}
