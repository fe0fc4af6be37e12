/* GENERATED from schema/frames.schema.json by `tools/dev codegen`. DO NOT EDIT. */
/**
 * stream-chat's calls that are one request frame each, generated from the `x-shim` annotations on
 * the client frames (tools/codegen.py says how to write one). `clientRequests(Base)` adds
 * StreamChat's to a class, `channelRequests(Base)` Channel's; each sends its frame (StreamChat's
 * through the class's `request`, Channel's through its `client`) and resolves with the answer.
 */
import type { ChannelClient } from './events';
import type * as F from './frames';
import type { LocalChannel } from './index';
import { ChatError } from './events';

/** Stream's axiosRequestConfig, as far as an upload uses it: progress (an AxiosProgressEvent's
 * fields), and cancelling with an AbortSignal. */
export type UploadConfig = {
  onUploadProgress?: (progress: UploadProgress) => void;
  signal?: { addEventListener?: (type: 'abort', listener: () => void) => unknown };
};
export type UploadProgress = {
  loaded: number;
  total?: number;
  bytes: number;
  lengthComputable: boolean;
  upload: true;
};

// TypeScript's rule for a mixin: its base's constructor takes any arguments.
type Base = abstract new (...args: any[]) => object;

/** Stream's SDK sort, `{last_message_at: -1}`, or a list of such objects to order the keys. */
type SdkSort<S extends { field: string }> =
  Partial<Record<S['field'], F.SortDirection>> | Partial<Record<S['field'], F.SortDirection>>[];
/** The SDK's sort as the frame field `T`, the wire's list of `{field, direction}` (the server
 * refuses more keys than the schema's maxItems). */
function sortOf<T>(sort?: SdkSort<{ field: string }>): T {
  const keys = sort && [sort].flat().flatMap((fields) => Object.entries(fields));
  return keys?.map(([field, direction]) => ({ field, direction })) as T;
}

/** Adds stream-chat's StreamChat calls that are one frame each to `base`. */
export function clientRequests<B extends Base>(base: B) {
  abstract class StreamChatRequests extends base {
    /** Sends `frame` with a new request_id and resolves with its answer. */
    abstract request<T extends F.ServerFrame>(frame: F.ClientFrame): Promise<T>;
    /** The one LocalChannel for `type:id` (LocalChatClient.channel()). */
    abstract channel(type: string, id: string): LocalChannel;

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

    /**
     * Stream's queryChannels: the channels matching `filter_conditions` that the user may read,
     * sorted by `sort` (default last_message_at, newest first), `limit` (default 10, at most 30)
     * from `offset`. Answered with channels.state: each channel as channel.watch's channel.state
     * (`state` false: no messages, members or read; `message_limit` messages, default 25, at most
     * 300; `member_limit` members, default 100). With `watch`, this socket watches each channel;
     * with `presence`, users carry online and last_active and their changes reach this socket.
     */
    queryChannels(
      filter_conditions: F.ChannelsQuery['filter_conditions'],
      sort?: SdkSort<F.ChannelSort>,
      options: {
        limit?: F.ChannelsQuery['limit'];
        offset?: F.ChannelsQuery['offset'];
        watch?: F.ChannelsQuery['watch'];
        state?: F.ChannelsQuery['state'];
        presence?: F.ChannelsQuery['presence'];
        message_limit?: F.ChannelsQuery['message_limit'];
        member_limit?: F.ChannelsQuery['member_limit'];
      } = {},
    ): Promise<LocalChannel[]> {
      return this.request<F.ChannelsState>({
        type: 'channels.query',
        filter_conditions,
        sort: sortOf<F.ChannelsQuery['sort']>(sort),
        limit: options.limit,
        offset: options.offset,
        watch: options.watch,
        state: options.state,
        presence: options.presence,
        message_limit: options.message_limit,
        member_limit: options.member_limit,
      }).then(({ channels }) =>
        channels.map((s) => {
          const c = this.channel(s.channel.type, s.channel.id);
          c.applyFrame(s);
          return c;
        }),
      );
    }

    /**
     * Stream's client.getUnreadCount(): the user's unread counts, per channel and in total.
     * Answered with unread.counts.
     */
    getUnreadCount(_userID?: string): Promise<F.UnreadCounts> {
      return this.request<F.UnreadCounts>({ type: 'unread.get' });
    }

    /**
     * Stream's client.queryUsers(filter, sort, options): users matching `filter_conditions` among
     * those who share a channel with the asker (every user, for an admin), sorted by `sort`
     * (default id), `limit` (default 30, at most 100) from `offset`. With `presence`, users carry
     * online and last_active, and their changes reach this socket. Answered with users.list; never
     * a token, email or other claim.
     */
    queryUsers(
      filter_conditions: F.UsersQuery['filter_conditions'],
      sort?: SdkSort<F.UserSort>,
      options: {
        limit?: F.UsersQuery['limit'];
        offset?: F.UsersQuery['offset'];
        presence?: F.UsersQuery['presence'];
      } = {},
    ): Promise<F.UsersList> {
      return this.request<F.UsersList>({
        type: 'users.query',
        filter_conditions,
        sort: sortOf<F.UsersQuery['sort']>(sort),
        limit: options.limit,
        offset: options.offset,
        presence: options.presence,
      });
    }

    /**
     * Stream's client.search: the messages, in the channels matching `filter_conditions` that the
     * user may read (at most 500 channels), whose text has every word of `query` (full-text) and
     * that match `message_filter_conditions` (Stream sends one or the other; neither finds every
     * message). A query without a word finds nothing. Deleted and system messages never match.
     * Ranked by relevance, then the newest first (by relevance among the newest 2,000 matches; the
     * newest first without a text query, where `relevance` sorts nothing), unless `sort` says
     * otherwise; `limit` (default 100) from `offset`, or from the `next` an earlier answer gave.
     * Answered with search.results.
     */
    search(
      filter_conditions: F.MessagesSearch['filter_conditions'],
      query: NonNullable<F.MessagesSearch['query'] | F.MessagesSearch['message_filter_conditions']>,
      options: {
        limit?: F.MessagesSearch['limit'];
        offset?: F.MessagesSearch['offset'];
        sort?: SdkSort<F.SearchSort>;
        next?: F.MessagesSearch['next'];
      } = {},
    ): Promise<F.SearchResults> {
      return this.request<F.SearchResults>({
        type: 'messages.search',
        filter_conditions,
        query: typeof query === 'string' ? query : undefined,
        message_filter_conditions: typeof query === 'string' ? undefined : query,
        limit: options.limit,
        offset: options.offset,
        sort: sortOf<F.MessagesSearch['sort']>(options.sort),
        next: options.next,
      });
    }

    /** @internal The URL the socket opened, with its token: the HTTP calls beside it use both. */
    socketUrl?: string;

    /**
     * @internal POSTs `file` (multipart field `file`) to the backend's `/api/<path>` on the socket's
     * host with the socket's token, reporting progress; resolves with the answer, or rejects with a
     * ChatError carrying the refusal's code.
     */
    upload(
      path: string,
      file: Blob,
      name?: string,
      contentType?: string,
      config: UploadConfig = {},
    ): Promise<F.UploadResponse> {
      if (!this.socketUrl) return Promise.reject(new ChatError('Not connected', 'unauthenticated'));
      const socket = new URL(this.socketUrl);
      const form = new FormData();
      form.append(
        'file',
        contentType ? new Blob([file], { type: contentType }) : file,
        name ?? (file as File).name,
      );
      return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', `${socket.protocol.replace('ws', 'http')}//${socket.host}/api/${path}`);
        xhr.setRequestHeader('Authorization', socket.searchParams.get('token') ?? '');
        xhr.responseType = 'json'; // null when the answer is not JSON (a proxy's error page)
        xhr.upload.onprogress = ({ loaded, total, lengthComputable }) =>
          config.onUploadProgress?.({
            loaded,
            total,
            bytes: loaded,
            lengthComputable,
            upload: true,
          });
        xhr.onload = () => {
          const body = xhr.response ?? { message: `HTTP ${xhr.status}`, code: 'internal_error' };
          if (xhr.status < 400) resolve(body);
          else reject(new ChatError(body.message, body.code));
        };
        xhr.onerror = xhr.onabort = () =>
          reject(new ChatError('the upload failed', 'internal_error'));
        config.signal?.addEventListener?.('abort', () => xhr.abort());
        xhr.send(form);
      });
    }
  }
  return StreamChatRequests;
}

/** Adds stream-chat's Channel calls that are one frame each to `base`. */
export function channelRequests<B extends Base>(base: B) {
  abstract class ChannelRequests extends base {
    /** The client whose socket the calls go through; it routes each answer to `channel`. */
    declare readonly client: ChannelClient & {
      request<T extends F.ServerFrame>(frame: F.ClientFrame, channel: object): Promise<T>;
      upload(
        path: string,
        file: Blob,
        name?: string,
        contentType?: string,
        config?: UploadConfig,
      ): Promise<F.UploadResponse>;
    };
    declare readonly cid: F.Cid;
    declare readonly _data: NonNullable<F.ChannelWatch['data']>;
    declare readonly type: NonNullable<F.ChannelWatch['channel_type']>;

    /**
     * Create the channel if new, subscribe this socket to its events, and answer channel.state.
     * Without `cid`, `channel_type` and `data.members` name a distinct channel (Stream's channel
     * without an id): the same members find the same channel, whose cid (`type:!members-…`) the
     * answer carries. With `presence`, the members' users carry online and last_active, and their
     * user.presence.changed events reach this socket.
     */
    watch(
      options: {
        messages?: F.ChannelWatch['messages'];
        presence?: F.ChannelWatch['presence'];
      } = {},
    ): Promise<F.ChannelState> {
      return this.client.request<F.ChannelState>(
        {
          type: 'channel.watch',
          cid: this.cid,
          messages: options.messages,
          presence: options.presence,
          data: this._data,
          channel_type: this.type,
        },
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
    sendMessage(
      message: {
        text?: F.ClientMessageNew['text'];
        id?: F.ClientMessageNew['id'];
        parent_id?: F.ClientMessageNew['parent_id'];
        show_in_channel?: F.ClientMessageNew['show_in_channel'];
        quoted_message_id?: F.ClientMessageNew['quoted_message_id'];
        mentioned_users?: F.ClientMessageNew['mentioned_users'];
        attachments?: F.ClientMessageNew['attachments'];
      } = {},
    ): Promise<F.MessageSent> {
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
     * Mark the channel read up to `message_id` (default: its newest message); with `thread_id`
     * (Stream's markRead({thread_id})), the thread of that parent message instead, up to its newest
     * reply (or its reply `message_id`), leaving the channel's read state as it was. Stored,
     * relayed to the other watchers, and answered with the message.read event.
     */
    markRead(
      data: { thread_id?: F.ClientMessageRead['thread_id'] } = {},
    ): Promise<{ event: F.MessageReadEvent }> {
      return this.client
        .request<F.MessageReadEvent>(
          { type: 'message.read', cid: this.cid, thread_id: data.thread_id },
          this,
        )
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

    /**
     * Create or change a channel (Stream's channel.create(), channel.update(data),
     * channel.updatePartial({set, unset})). A channel that does not exist is created from `data`
     * (the user its creator, `data.members` its members; without `cid`, `channel_type` and
     * `data.members` name a distinct channel). channel.create() sends `get_or_create` (Stream's
     * get-or-create): a channel that exists is answered as it is, its data untouched, with no
     * capability needed beyond reading it. Otherwise, on an existing channel, `data` replaces the
     * name, image and custom fields (`data.members` is ignored: use channel.members.add), `set`
     * changes only the fields it names and `unset` removes fields; both need the update-channel
     * capability. Answered with channel.updated, which the channel's watchers get too when
     * something changed.
     */
    create(): Promise<F.ChannelUpdatedEvent> {
      return this.client.request<F.ChannelUpdatedEvent>(
        {
          type: 'channel.update',
          cid: this.cid,
          get_or_create: true,
          data: this._data,
          channel_type: this.type,
        },
        this,
      );
    }

    /**
     * Create or change a channel (Stream's channel.create(), channel.update(data),
     * channel.updatePartial({set, unset})). A channel that does not exist is created from `data`
     * (the user its creator, `data.members` its members; without `cid`, `channel_type` and
     * `data.members` name a distinct channel). channel.create() sends `get_or_create` (Stream's
     * get-or-create): a channel that exists is answered as it is, its data untouched, with no
     * capability needed beyond reading it. Otherwise, on an existing channel, `data` replaces the
     * name, image and custom fields (`data.members` is ignored: use channel.members.add), `set`
     * changes only the fields it names and `unset` removes fields; both need the update-channel
     * capability. Answered with channel.updated, which the channel's watchers get too when
     * something changed.
     */
    update(data?: F.ChannelUpdate['data']): Promise<F.ChannelUpdatedEvent> {
      return this.client.request<F.ChannelUpdatedEvent>(
        { type: 'channel.update', cid: this.cid, data },
        this,
      );
    }

    /**
     * Create or change a channel (Stream's channel.create(), channel.update(data),
     * channel.updatePartial({set, unset})). A channel that does not exist is created from `data`
     * (the user its creator, `data.members` its members; without `cid`, `channel_type` and
     * `data.members` name a distinct channel). channel.create() sends `get_or_create` (Stream's
     * get-or-create): a channel that exists is answered as it is, its data untouched, with no
     * capability needed beyond reading it. Otherwise, on an existing channel, `data` replaces the
     * name, image and custom fields (`data.members` is ignored: use channel.members.add), `set`
     * changes only the fields it names and `unset` removes fields; both need the update-channel
     * capability. Answered with channel.updated, which the channel's watchers get too when
     * something changed.
     */
    updatePartial(
      update: { set?: F.ChannelUpdate['set']; unset?: F.ChannelUpdate['unset'] } = {},
    ): Promise<F.ChannelUpdatedEvent> {
      return this.client.request<F.ChannelUpdatedEvent>(
        { type: 'channel.update', cid: this.cid, set: update.set, unset: update.unset },
        this,
      );
    }

    /**
     * Delete a channel with its messages (Stream's channel.delete(); the delete-channel
     * capability). Answered with channel.deleted, which every member gets too; watchers stop
     * watching it.
     */
    delete(): Promise<F.ChannelDeletedEvent> {
      return this.client.request<F.ChannelDeletedEvent>(
        { type: 'channel.delete', cid: this.cid },
        this,
      );
    }

    /**
     * Add members (Stream's channel.addMembers(ids); the update-channel-members capability).
     * Watchers get a member.added per new member, each added user notification.added_to_channel.
     * Answered with channel.updated carrying the channel and its members; adding a member again
     * changes nothing.
     */
    addMembers(user_ids: F.ChannelMembersAdd['user_ids']): Promise<F.ChannelUpdatedEvent> {
      return this.client.request<F.ChannelUpdatedEvent>(
        { type: 'channel.members.add', cid: this.cid, user_ids },
        this,
      );
    }

    /**
     * Remove members (Stream's channel.removeMembers(ids); the update-channel-members capability,
     * or leave-channel to remove oneself). Watchers get a member.removed per removed member, each
     * removed user notification.removed_from_channel, and their sockets stop watching a members-
     * only channel. Answered with channel.updated carrying the channel and its members.
     */
    removeMembers(user_ids: F.ChannelMembersRemove['user_ids']): Promise<F.ChannelUpdatedEvent> {
      return this.client.request<F.ChannelUpdatedEvent>(
        { type: 'channel.members.remove', cid: this.cid, user_ids },
        this,
      );
    }

    /**
     * Make members moderators (Stream's channel.addModerators(ids); the update-channel-members
     * capability). Watchers get a member.updated per changed member. Answered with channel.updated
     * carrying the channel and its members.
     */
    addModerators(user_ids: F.ChannelModeratorsAdd['user_ids']): Promise<F.ChannelUpdatedEvent> {
      return this.client.request<F.ChannelUpdatedEvent>(
        { type: 'channel.moderators.add', cid: this.cid, user_ids },
        this,
      );
    }

    /**
     * Mark the channel unread from `message_id` on (Stream's channel.markUnread({message_id})):
     * that message and every later one count as unread again. Answered with
     * notification.mark_unread, which the user's other sockets get too.
     */
    markUnread(data: {
      message_id: F.MessageUnread['message_id'];
    }): Promise<F.NotificationMarkUnreadEvent> {
      return this.client.request<F.NotificationMarkUnreadEvent>(
        { type: 'message.unread', cid: this.cid, message_id: data.message_id },
        this,
      );
    }

    /**
     * Stream's channel.queryMembers(filter, sort, options): the channel's members matching
     * `filter_conditions`, sorted by `sort` (default created_at, oldest first), `limit` (default
     * 100, at most 100) from `offset`. With `presence`, users carry online and last_active.
     * Answered with members.list.
     */
    queryMembers(
      filter_conditions: F.MembersQuery['filter_conditions'],
      sort?: SdkSort<F.MemberSort>,
      options: {
        limit?: F.MembersQuery['limit'];
        offset?: F.MembersQuery['offset'];
        presence?: F.MembersQuery['presence'];
      } = {},
    ): Promise<F.MembersList> {
      return this.client.request<F.MembersList>(
        {
          type: 'members.query',
          cid: this.cid,
          filter_conditions,
          sort: sortOf<F.MembersQuery['sort']>(sort),
          limit: options.limit,
          offset: options.offset,
          presence: options.presence,
        },
        this,
      );
    }

    /**
     * Upload an image to the channel (Stream's channel.sendImage): POST
     * /api/channels/{type}/{id}/image beside the socket, with its token. the file's signed URL and,
     * for an image, its thumbnail's. Attach them to a message as `image_url` / `asset_url` and
     * `thumb_url`. A refusal answers `{code, message}` with an ErrorCode. `config.onUploadProgress`
     * hears the bytes sent; `config.signal` cancels.
     */
    sendImage(
      file: Blob,
      name?: string,
      contentType?: string,
      _user?: unknown,
      config?: UploadConfig,
    ): Promise<F.UploadResponse> {
      return this.client.upload(
        `channels/${this.cid.replace(':', '/')}/image`,
        file,
        name,
        contentType,
        config,
      );
    }

    /**
     * Upload a file to the channel (Stream's channel.sendFile): POST /api/channels/{type}/{id}/file
     * beside the socket, with its token. the file's signed URL and, for an image, its thumbnail's.
     * Attach them to a message as `image_url` / `asset_url` and `thumb_url`. A refusal answers
     * `{code, message}` with an ErrorCode. `config.onUploadProgress` hears the bytes sent;
     * `config.signal` cancels.
     */
    sendFile(
      file: Blob,
      name?: string,
      contentType?: string,
      _user?: unknown,
      config?: UploadConfig,
    ): Promise<F.UploadResponse> {
      return this.client.upload(
        `channels/${this.cid.replace(':', '/')}/file`,
        file,
        name,
        contentType,
        config,
      );
    }
  }
  return ChannelRequests;
}
