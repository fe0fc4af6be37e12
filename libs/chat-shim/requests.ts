/* GENERATED from schema/frames.schema.json by `tools/dev codegen`. DO NOT EDIT. */
/**
 * stream-chat's calls that are one request frame each, generated from the `x-shim` annotations on
 * the client frames (tools/codegen.py says how to write one). `clientRequests(Base)` adds
 * StreamChat's to a class, `channelRequests(Base)` Channel's; each sends its frame (StreamChat's
 * through the class's `request`, Channel's through its `client`) and resolves with the answer.
 */
import type * as F from './frames';

// TypeScript's rule for a mixin: its base's constructor takes any arguments.
type Base = abstract new (...args: any[]) => object;

/** Adds stream-chat's StreamChat calls that are one frame each to `base`. */
export function clientRequests<B extends Base>(base: B) {
  abstract class StreamChatRequests extends base {
    /** Sends `frame` with a new request_id and resolves with its answer. */
    abstract request<T extends F.ServerFrame>(frame: F.ClientFrame): Promise<T>;

    /**
     * Edit a message (Stream's client.updateMessage). The text and the given fields replace the old
     * ones; answered with the message.updated event every watcher gets.
     */
    updateMessage(message: F.MessageUpdate['message']): Promise<F.MessageUpdatedEvent> {
      return this.request<F.MessageUpdatedEvent>({ type: 'message.update', message });
    }

    /**
     * Delete a message (Stream's client.deleteMessage): soft by default (type `deleted`, text and
     * attachments gone), the row itself when `hard`. Answered with the message.deleted event.
     */
    deleteMessage(
      id: F.MessageDelete['id'],
      options: { hardDelete?: F.MessageDelete['hard'] } = {},
    ): Promise<F.MessageDeletedEvent> {
      return this.request<F.MessageDeletedEvent>({
        type: 'message.delete',
        id,
        hard: options.hardDelete,
      });
    }

    /**
     * Pin or unpin a message (Stream's client.pinMessage / unpinMessage), optionally until
     * `pin_expires`. Answered with message.updated.
     */
    pinMessage(
      id: F.MessagePin['id'],
      pin_expires?: F.MessagePin['pin_expires'],
    ): Promise<F.MessageUpdatedEvent> {
      return this.request<F.MessageUpdatedEvent>({
        type: 'message.pin',
        id,
        pin_expires,
        pinned: true,
      });
    }

    /**
     * Pin or unpin a message (Stream's client.pinMessage / unpinMessage), optionally until
     * `pin_expires`. Answered with message.updated.
     */
    unpinMessage(id: F.MessagePin['id']): Promise<F.MessageUpdatedEvent> {
      return this.request<F.MessageUpdatedEvent>({ type: 'message.pin', id, pinned: false });
    }

    /**
     * Report a message to the moderators (Stream's client.flagMessage); the flag shows in the
     * admin. Answered with ok.
     */
    flagMessage(
      id: F.MessageFlag['id'],
      options: { reason?: F.MessageFlag['reason'] } = {},
    ): Promise<F.Ok> {
      return this.request<F.Ok>({ type: 'message.flag', id, reason: options.reason });
    }

    /**
     * Mute a user (Stream's client.muteUser), for `timeout` minutes or until unmuted. Answered with
     * notification.mutes_updated, which reaches all the muter's sockets.
     */
    muteUser(
      target_id: F.UserMute['target_id'],
      _userID?: string,
      options: { timeout?: F.UserMute['timeout'] } = {},
    ): Promise<F.NotificationMutesUpdatedEvent> {
      return this.request<F.NotificationMutesUpdatedEvent>({
        type: 'user.mute',
        target_id,
        timeout: options.timeout,
      });
    }

    /**
     * Unmute a user (Stream's client.unmuteUser). Answered with notification.mutes_updated.
     */
    unmuteUser(target_id: F.UserUnmute['target_id']): Promise<F.NotificationMutesUpdatedEvent> {
      return this.request<F.NotificationMutesUpdatedEvent>({ type: 'user.unmute', target_id });
    }

    /**
     * Ban a user from the channel `cid` (Stream's channel.banUser; moderators), or app-wide without
     * `cid` (client.banUser; admins), for `timeout` minutes or for good. Answered with user.banned.
     */
    banUser(
      target_id: F.UserBan['target_id'],
      options: { timeout?: F.UserBan['timeout']; reason?: F.UserBan['reason'] } = {},
    ): Promise<F.UserBannedEvent> {
      return this.request<F.UserBannedEvent>({
        type: 'user.ban',
        target_id,
        timeout: options.timeout,
        reason: options.reason,
      });
    }

    /**
     * Lift a user's ban from the channel `cid`, or the app-wide ban without `cid`. Answered with
     * user.unbanned.
     */
    unbanUser(target_id: F.UserUnban['target_id']): Promise<F.UserUnbannedEvent> {
      return this.request<F.UserUnbannedEvent>({ type: 'user.unban', target_id });
    }
  }
  return StreamChatRequests;
}

/** Adds stream-chat's Channel calls that are one frame each to `base`. */
export function channelRequests<B extends Base>(base: B) {
  abstract class ChannelRequests extends base {
    /** The client whose socket the calls go through; it routes each answer to `channel`. */
    declare readonly client: {
      request<T extends F.ServerFrame>(frame: F.ClientFrame, channel: object): Promise<T>;
    };
    declare readonly cid: F.Cid;
    declare readonly _data: F.ChannelWatch['data'];

    /**
     * Create the channel if new, subscribe this socket to its events, and answer channel.state.
     */
    watch(options: { messages?: F.ChannelWatch['messages'] } = {}): Promise<F.ChannelState> {
      return this.client.request<F.ChannelState>(
        { type: 'channel.watch', cid: this.cid, messages: options.messages, data: this._data },
        this,
      );
    }

    /**
     * @internal `watch`, page after page: the messages after `id_gt`, 300 at a time (the most a
     * page holds), each page after the previous one's last, until one is not full.
     */
    async watchAfter(id_gt?: F.MessagePagination['id_gt']): Promise<void> {
      const { messages } = await this.watch({ messages: { id_gt, limit: 300 } });
      if (messages.length === 300) await this.watchAfter(messages.at(-1)?.id);
    }

    /**
     * Unsubscribe this socket from the channel's events (Stream's channel.stopWatching()). Answered
     * with ok.
     */
    stopWatching(): Promise<F.Ok> {
      return this.client.request<F.Ok>({ type: 'channel.stop_watching', cid: this.cid }, this);
    }

    /**
     * Send a message, a reply (`parent_id`; also shown in the channel with `show_in_channel`), a
     * quote (`quoted_message_id`, same channel) or mentions (user ids). Stored, then delivered as a
     * message.new event to every watcher; answered with message.sent. A known `id` stores and
     * delivers nothing new.
     */
    sendMessage(message: {
      text: F.ClientMessageNew['text'];
      id?: F.ClientMessageNew['id'];
      parent_id?: F.ClientMessageNew['parent_id'];
      show_in_channel?: F.ClientMessageNew['show_in_channel'];
      quoted_message_id?: F.ClientMessageNew['quoted_message_id'];
      mentioned_users?: F.ClientMessageNew['mentioned_users'];
      attachments?: F.ClientMessageNew['attachments'];
    }): Promise<F.MessageSent> {
      return this.client.request<F.MessageSent>(
        {
          type: 'message.new',
          cid: this.cid,
          text: message.text,
          id: message.id,
          parent_id: message.parent_id,
          show_in_channel: message.show_in_channel,
          quoted_message_id: message.quoted_message_id,
          mentioned_users: message.mentioned_users,
          attachments: message.attachments,
        },
        this,
      );
    }

    #keystrokeAt = 0;
    #keystrokeTimer?: ReturnType<typeof setTimeout>;

    /**
     * The user started typing. Relayed to the channel's other watchers; answered with ok. Call it
     * on every keystroke: it sends typing.start at most every 2000 ms, and typing.stop 1000 ms
     * after the last call.
     */
    async keystroke(parent_id?: F.ClientTypingStart['parent_id']): Promise<void> {
      clearTimeout(this.#keystrokeTimer);
      this.#keystrokeTimer = setTimeout(() => this.stopTyping(parent_id).catch(() => {}), 1000);
      if (Date.now() - this.#keystrokeAt < 2000) return;
      this.#keystrokeAt = Date.now();
      await this.client.request<F.Ok>({ type: 'typing.start', cid: this.cid, parent_id }, this);
    }

    /**
     * The user stopped typing. Relayed to the channel's other watchers; answered with ok. The next
     * `keystroke` sends at once.
     */
    async stopTyping(parent_id?: F.ClientTypingStop['parent_id']): Promise<void> {
      clearTimeout(this.#keystrokeTimer);
      this.#keystrokeAt = 0;
      await this.client.request<F.Ok>({ type: 'typing.stop', cid: this.cid, parent_id }, this);
    }

    /**
     * Mark the channel read up to `message_id` (default: its newest message). Stored, relayed to
     * the other watchers, and answered with the message.read event.
     */
    markRead(): Promise<{ event: F.MessageReadEvent }> {
      return this.client
        .request<F.MessageReadEvent>({ type: 'message.read', cid: this.cid }, this)
        .then((event) => ({ event }));
    }

    /**
     * React to a message (Stream's channel.sendReaction). One reaction per type per user;
     * `enforce_unique` replaces the user's other reactions on the message. Answered with
     * reaction.new (or reaction.updated).
     */
    sendReaction(
      message_id: F.ReactionSend['message_id'],
      reaction: F.ReactionSend['reaction'],
      options: { enforce_unique?: F.ReactionSend['enforce_unique'] } = {},
    ): Promise<F.ReactionNewEvent | F.ReactionUpdatedEvent> {
      return this.client.request<F.ReactionNewEvent | F.ReactionUpdatedEvent>(
        { type: 'reaction.send', message_id, reaction, enforce_unique: options.enforce_unique },
        this,
      );
    }

    /**
     * Remove the user's reaction of one type (Stream's channel.deleteReaction). Answered with
     * reaction.deleted.
     */
    deleteReaction(
      message_id: F.ReactionDelete['message_id'],
      reaction_type: F.ReactionDelete['reaction_type'],
    ): Promise<F.ReactionDeletedEvent> {
      return this.client.request<F.ReactionDeletedEvent>(
        { type: 'reaction.delete', message_id, reaction_type },
        this,
      );
    }

    /**
     * A page of a thread's replies (Stream's channel.getReplies): the latest `limit` (default 25,
     * at most 300), older than `id_lt` or newer than `id_gt`. Answered with message.replies.
     */
    getReplies(
      parent_id: F.MessageGetReplies['parent_id'],
      options: {
        limit?: F.MessageGetReplies['limit'];
        id_lt?: F.MessageGetReplies['id_lt'];
        id_gt?: F.MessageGetReplies['id_gt'];
      } = {},
    ): Promise<F.MessageReplies> {
      return this.client.request<F.MessageReplies>(
        {
          type: 'message.get_replies',
          parent_id,
          limit: options.limit,
          id_lt: options.id_lt,
          id_gt: options.id_gt,
        },
        this,
      );
    }

    /**
     * Ban a user from the channel `cid` (Stream's channel.banUser; moderators), or app-wide without
     * `cid` (client.banUser; admins), for `timeout` minutes or for good. Answered with user.banned.
     */
    banUser(
      target_id: F.UserBan['target_id'],
      options: { timeout?: F.UserBan['timeout']; reason?: F.UserBan['reason'] } = {},
    ): Promise<F.UserBannedEvent> {
      return this.client.request<F.UserBannedEvent>(
        {
          type: 'user.ban',
          cid: this.cid,
          target_id,
          timeout: options.timeout,
          reason: options.reason,
        },
        this,
      );
    }

    /**
     * Lift a user's ban from the channel `cid`, or the app-wide ban without `cid`. Answered with
     * user.unbanned.
     */
    unbanUser(target_id: F.UserUnban['target_id']): Promise<F.UserUnbannedEvent> {
      return this.client.request<F.UserUnbannedEvent>(
        { type: 'user.unban', cid: this.cid, target_id },
        this,
      );
    }
  }
  return ChannelRequests;
}
