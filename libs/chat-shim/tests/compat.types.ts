/**
 * Compile-time proof that UI code written against stream-chat's own declarations compiles against
 * the shim, for each call the shim offers. `npm run typecheck` compiles this file; nothing runs it.
 *
 * How, honestly: `stream-chat` here is the real package (a devDependency, types only; this
 * package's tsconfig.json empties the root `paths` alias that elsewhere points `stream-chat` at the
 * shim). For every call:
 * - arguments: values typed with Stream's parameter types (`Parameters<StreamChat['connectUser']>`,
 *   Stream's `EventHandler`, ...) are passed to the shim, because UI code builds them that way;
 * - results: what the shim resolves with is assigned to Stream's result type, or to the fields of
 *   it the shim fills (`Pick<...>`), because UI code reads them that way;
 * - `// @ts-expect-error` lines pin each place where Stream's types allow something the shim does
 *   not (yet). If the shim or the schema closes a gap, tsc reports the unused directive and this
 *   file must be updated: the list of differences cannot silently go stale.
 */
import type {
  BanUserOptions,
  Channel as StreamChannel,
  ChannelFilters,
  ChannelMemberAPIResponse,
  ChannelMemberResponse,
  ChannelOptions,
  ChannelResponse,
  ChannelSort,
  ConnectionOpen,
  DeleteChannelAPIResponse,
  DeleteMessageOptions,
  Event as StreamEvent,
  EventHandler as StreamEventHandler,
  FlagMessageResponse,
  GetRepliesAPIResponse,
  GetUnreadCountAPIResponse,
  MarkUnreadOptions,
  MemberFilters,
  MemberSort,
  MessagePaginationOptions,
  MessageResponse,
  MuteUserOptions,
  MuteUserResponse,
  PartialUpdateChannel,
  PartialUpdateChannelAPIResponse,
  QueryChannelAPIResponse,
  QueryMembersOptions,
  Reaction,
  ReactionAPIResponse,
  SendFileAPIResponse,
  SendReactionOptions,
  StreamChat,
  TokenProvider,
  UpdateChannelAPIResponse,
  UpdateMessageAPIResponse,
  UserFilters,
  UserOptions,
  UserResponse,
  UserSort,
} from 'stream-chat';

import {
  ChatError,
  LocalChatClient,
  StreamChat as StreamChatAlias,
  type Event,
  type LocalChannel,
} from '../index';

declare const client: LocalChatClient;
declare const channel: LocalChannel;
declare const streamHandler: StreamEventHandler;
declare const token: string;
export async function compat(): Promise<void> {
  // --- the client ---------------------------------------------------------------------------
  const fromOptions: LocalChatClient = new LocalChatClient({
    wsUrl: 'ws://localhost:8000/ws/chat/',
  });
  const byAlias: LocalChatClient = new StreamChatAlias();

  // connectUser(user, token): Stream's user type is accepted; the answer reads as Stream's ConnectionOpen.
  const user: Parameters<StreamChat['connectUser']>[0] = { id: 'alice', name: 'Alice' };
  const opened = await client.connectUser(user, token);
  const connectionId: ConnectionOpen['connection_id'] = opened.connection_id;
  const me:
    | Pick<
        NonNullable<ConnectionOpen['me']>,
        'id' | 'name' | 'role' | 'mutes' | 'channel_mutes' | 'unread_count'
      >
    | undefined = opened.me; // the first health.check's (Stream's `me` is optional too)
  const open: ConnectionOpen = opened;
  // Stream's token provider: asked again for a token when the server says the last one expired.
  const provider: TokenProvider = async () => token;
  await client.connectUser(user, provider);
  // @ts-expect-error Stream also takes null / undefined (anonymous users); the shim needs a token.
  void client.connectUser(user, null);
  // @ts-expect-error Stream's user.id is required, and so is it here.
  void client.connectUser({ name: 'Alice' }, token);

  const userID: StreamChat['userID'] = client.userID;
  const current: Pick<UserResponse, 'id' | 'name'> | undefined = client.user;
  const active: Record<string, LocalChannel> = client.activeChannels;
  const disconnect: StreamChat['disconnectUser'] = () => client.disconnectUser();
  await client.disconnectUser(1000);

  // channel(type, id, data): Stream's call with members and a name.
  const general: LocalChannel = client.channel('messaging', 'general', {
    members: ['alice', 'bob'],
    name: 'General',
  });
  // Stream's distinct channel (members, no id), and custom channel fields.
  const distinct: LocalChannel = client.channel('messaging', { members: ['alice', 'bob'] });
  client.channel('messaging', 'general', { image: 'https://example.com/a.png', color: 'blue' });

  // on / off: Stream's handler shapes, by type, for all, and with unsubscribe.
  const handler = (event: Event): string | undefined => event.message?.text ?? event.user?.name;
  const { unsubscribe }: ReturnType<StreamChat['on']> = client.on('message.new', handler);
  unsubscribe();
  client.on(handler).unsubscribe();
  client.on('all', handler);
  client.off('message.new', handler);
  client.off(handler);
  client.on('connection.changed', (event) => event.online);
  client.on('connection.recovered', () => undefined);
  client.on('message.new', streamHandler);
  client.on('message.updated', handler);
  client.on('reaction.new', (event) => event.reaction?.type);
  // @ts-expect-error Events the server never sends are not offered, so a typo fails here rather than never firing.
  client.on('channel.truncated', handler);

  // --- a channel ----------------------------------------------------------------------------
  const cid: StreamChannel['cid'] = general.cid;
  const type: StreamChannel['type'] = general.type;
  const id: StreamChannel['id'] = general.id;
  const initialized: StreamChannel['initialized'] = general.initialized;
  const name: string | undefined = general.data?.name;

  // watch(options): Stream's pagination options; the answer holds Stream's watch response fields.
  const watched = await channel.watch({ messages: { limit: 25 } });
  const response: Omit<QueryChannelAPIResponse, 'duration'> = watched;
  const channelData: ChannelResponse = watched.channel;
  // @ts-expect-error No `duration`: Jatte's answer is a socket frame, not a timed REST response.
  const timed: QueryChannelAPIResponse = watched;
  // @ts-expect-error Only limit / id_lt / id_gt paginate; Stream's created_at_around and friends do not.
  await channel.watch({ messages: { created_at_around: '2026-01-01T00:00:00Z' } });
  await channel.watch();

  // channel.state: members and typing as Stream types them; watcher_count.
  const members: StreamChannel['state']['members'] = channel.state.members;
  const typing: StreamChannel['state']['typing'] = channel.state.typing;
  const watcherCount: StreamChannel['state']['watcher_count'] = channel.state.watcher_count;
  const firstText: string | undefined = channel.state.messages[0]?.text;
  const message: MessageResponse = channel.state.messages[0];
  const readUnread: number | undefined = channel.state.read['bob']?.unread_messages;
  // @ts-expect-error Stream's state turns created_at into a Date (LocalMessage); the shim keeps the ISO string.
  const localMessages: StreamChannel['state']['messages'] = channel.state.messages;
  // @ts-expect-error Stream's state turns last_read into a Date; the shim keeps the ISO string.
  const read: StreamChannel['state']['read'] = channel.state.read;

  // sendMessage({text, id?, parent_id?, ...}): resolves with Stream's `message` field.
  const sent = await channel.sendMessage({ text: 'hello', id: 'my-id', parent_id: 'm1' });
  const sentMessage: MessageResponse = sent.message;
  await channel.sendMessage({ text: 'no id: the shim makes one' });
  await channel.sendMessage({
    text: 'a reply, shown in the channel, quoting, mentioning, with a file',
    parent_id: 'm1',
    show_in_channel: true,
    quoted_message_id: 'm0',
    mentioned_users: ['bob'],
    attachments: [{ type: 'image', asset_url: '/files/a.png' }],
  });
  // @ts-expect-error Stream's custom message fields are not stored.
  await channel.sendMessage({ text: 'custom', priority: 'high' });

  // sendImage / sendFile(file, name?, contentType?, user?, axiosRequestConfig?): Stream's
  // signature; the answer reads as Stream's SendFileAPIResponse, less `duration`.
  const photo = new File(['png'], 'a.png', { type: 'image/png' });
  const progress: Parameters<StreamChannel['sendImage']>[4] = { onUploadProgress: (e) => e.loaded };
  const image = await channel.sendImage(photo, 'a.png', 'image/png', undefined, progress);
  const uploaded: Pick<SendFileAPIResponse, 'file' | 'thumb_url'> = image;
  await channel.sendFile(photo, 'a.pdf', 'application/pdf', undefined, {
    signal: new AbortController().signal,
  });
  // @ts-expect-error Stream also takes a URL or a Node stream to read the file from; the shim takes a Blob.
  await channel.sendFile('https://example.com/a.pdf');

  // markRead(): { event } as Stream's EventAPIResponse has it, minus `duration`.
  const marked = await channel.markRead();
  const readEvent: StreamEvent = marked.event;
  // markRead({ thread_id }): a thread's read, with Stream's option and the event's field.
  const threadOptions: Parameters<StreamChannel['markRead']>[0] = { thread_id: 'parent' };
  const threadRead = await channel.markRead({ thread_id: threadOptions?.thread_id });
  const readThread: StreamEvent['thread_id'] = threadRead.event.thread_id;
  const member: ChannelMemberResponse | undefined = channel.state.members[readEvent.user?.id ?? ''];

  // keystroke / stopTyping: Stream's signatures, less the options.
  const keystroke: (parent_id?: string) => Promise<void> = (p) => channel.keystroke(p);
  const stopTyping: (parent_id?: string) => Promise<void> = (p) => channel.stopTyping(p);
  const streamKeystroke: (parent_id?: string) => ReturnType<StreamChannel['keystroke']> = keystroke;

  // Channel listeners, as on the client.
  channel.on('typing.start', (event) => event.user?.id).unsubscribe();
  channel.off('typing.start', handler);

  // Refusals carry a code, as Stream's errors do.
  const code: string | number = new ChatError('refused', 'not_allowed').code;

  void [
    fromOptions,
    byAlias,
    connectionId,
    me,
    open,
    userID,
    current,
    active,
    disconnect,
    cid,
    type,
    id,
    initialized,
    name,
    distinct,
  ];
  void [
    response,
    channelData,
    timed,
    members,
    typing,
    watcherCount,
    firstText,
    message,
    readUnread,
    localMessages,
    read,
  ];
  void [sentMessage, member, stopTyping, streamKeystroke, code, uploaded, readThread];
}

/** The calls of issue 8: messages, reactions, threads, pins, moderation, and where Stream keeps
 * their state. */
export async function compatMessages(): Promise<void> {
  // client.updateMessage(message): id and text, as Stream's UpdatedMessage has them.
  const updated = await client.updateMessage({ id: 'm1', text: 'fixed', mentioned_users: ['bob'] });
  const updateAnswer: Omit<UpdateMessageAPIResponse, 'duration'> = updated;
  // @ts-expect-error Stream's updateMessage takes any Partial<MessageResponse>; the shim needs id and text.
  await client.updateMessage({ id: 'm1' });

  // client.deleteMessage(id, {hardDelete}): Stream's options; resolves with the message.
  const deleteOptions: DeleteMessageOptions = { hardDelete: true };
  const deleted: Pick<
    Awaited<ReturnType<StreamChat['deleteMessage']>>,
    'message'
  > = await client.deleteMessage('m1', deleteOptions);
  await client.deleteMessage('m1');
  // @ts-expect-error Stream also takes a bare boolean for hardDelete; the shim takes the options only.
  await client.deleteMessage('m1', true);

  // channel.sendReaction(id, reaction, {enforce_unique}) / deleteReaction(id, type): Stream's types.
  const like: Reaction = { type: 'like', score: 2 };
  const reactionOptions: SendReactionOptions = { enforce_unique: true };
  const reacted: Omit<ReactionAPIResponse, 'duration'> = await channel.sendReaction(
    'm1',
    like,
    reactionOptions,
  );
  await channel.sendReaction('m1', { type: 'love' });
  const unreacted: Omit<ReactionAPIResponse, 'duration'> = await channel.deleteReaction(
    'm1',
    'like',
  );

  // channel.getReplies(parent_id, options): Stream's pagination type; resolves with `messages`.
  // (Only limit, id_lt and id_gt are sent: Stream's other pagination fields type-check and are ignored.)
  const page: MessagePaginationOptions = { limit: 25, id_lt: 'r9' };
  const thread: Omit<GetRepliesAPIResponse, 'duration'> = await channel.getReplies('m1', page);
  await channel.getReplies('m1', { id_gt: 'r1' });

  // client.pinMessage(id, expires?) / unpinMessage(id): resolve with the message.
  const pinned: Omit<UpdateMessageAPIResponse, 'duration'> = await client.pinMessage('m1');
  await client.pinMessage('m1', '2026-12-01T00:00:00Z');
  await client.unpinMessage('m1');
  // @ts-expect-error Stream also takes the message object; the shim takes its id.
  await client.pinMessage({ id: 'm1' });
  // @ts-expect-error Stream also takes a timeout in seconds; the shim takes the expiry time.
  await client.pinMessage('m1', 60);

  // client.flagMessage(id, {reason}).
  await client.flagMessage('m1', { reason: 'spam' });
  const flagged = await client.flagMessage('m1');
  // @ts-expect-error The answer is `ok`: Stream's `{flag}` is not sent back.
  const flag: FlagMessageResponse['flag'] = flagged.flag;

  // client.muteUser(id, userID?, {timeout}) / unmuteUser(id) and client.mutedUsers.
  const muteOptions: MuteUserOptions = { timeout: 60 };
  await client.muteUser('bob', undefined, muteOptions);
  await client.muteUser('bob');
  await client.unmuteUser('bob');
  const mutedUsers: StreamChat['mutedUsers'] = client.mutedUsers;
  const muted = await client.muteUser('bob');
  // @ts-expect-error The answer is notification.mutes_updated `{me}`, not Stream's `{mute, own_user}`.
  const muteAnswer: Omit<MuteUserResponse, 'duration'> = muted;

  // banUser(id, {timeout, reason}) / unbanUser(id): in a channel, or app-wide on the client.
  const banOptions: BanUserOptions = { timeout: 60, reason: 'spam' };
  await channel.banUser('bob', banOptions);
  await channel.unbanUser('bob');
  await client.banUser('bob', { reason: 'spam' });
  await client.unbanUser('bob');

  // Where Stream keeps the state: threads and pins on channel.state, capabilities and config on
  // channel.data.
  const replies: MessageResponse[] | undefined = channel.state.threads['m1'];
  const pins: MessageResponse[] = channel.state.pinnedMessages;
  // @ts-expect-error Stream's state turns created_at into a Date (LocalMessage); the shim keeps the ISO string.
  const localThreads: StreamChannel['state']['threads'] = channel.state.threads;
  // @ts-expect-error As above, for the pins.
  const localPins: StreamChannel['state']['pinnedMessages'] = channel.state.pinnedMessages;
  const capabilities: NonNullable<StreamChannel['data']>['own_capabilities'] =
    channel.data?.own_capabilities;
  const reactionsOn: boolean | undefined = channel.data?.config?.reactions;
  const members: ChannelMemberResponse[] = Object.values(channel.state.members);

  void [updateAnswer, deleted, reacted, unreacted, thread, pinned, flag, mutedUsers, muteAnswer];
  void [replies, pins, localThreads, localPins, capabilities, reactionsOn, members];
}

/** The calls of issue 9: channel lists, unread counts, channel data, members, users, presence. */
export async function compatChannels(): Promise<void> {
  // client.queryChannels(filter, sort, options): Stream's types in; the client's channels out,
  // filed in activeChannels.
  const filter: ChannelFilters = { type: 'messaging', members: { $in: ['alice'] } };
  const sort: ChannelSort = [{ last_message_at: -1 }, { created_at: 1 }];
  const options: ChannelOptions = {
    limit: 30,
    offset: 0,
    watch: true,
    state: true,
    presence: true,
  };
  const channels: LocalChannel[] = await client.queryChannels(filter, sort, options);
  await client.queryChannels({ cid: { $in: ['messaging:general'] } }, { last_message_at: -1 });
  const listed: LocalChannel | undefined = client.activeChannels[channels[0].cid];
  // @ts-expect-error Stream's filter may be left out; the frame requires filter_conditions ({} for all).
  await client.queryChannels();

  // client.getUnreadCount(): Stream's answer, minus `duration`, the per-team totals and `threads`
  // (empty: Jatte keeps no per-thread read state, so its items' last_read_message_id is optional).
  const unread: Omit<
    GetUnreadCountAPIResponse,
    'duration' | 'total_unread_count_by_team' | 'threads'
  > = await client.getUnreadCount();
  // The counts the events keep: channel.state.unreadCount, countUnread(), client.user's totals.
  const unreadCount: StreamChannel['state']['unreadCount'] = channel.state.unreadCount;
  const counted: ReturnType<StreamChannel['countUnread']> = channel.countUnread();
  const since: number = channel.countUnread(new Date('2026-01-01T00:00:00Z'));
  const total: number | undefined = client.user?.total_unread_count;
  const unreadChannels: number | undefined = client.user?.unread_channels;

  // channel.create() / update(data) / updatePartial({set, unset}) / delete(): the channel in the
  // answer, as Stream's responses carry it.
  const created: Pick<QueryChannelAPIResponse, 'channel'> = await channel.create();
  // @ts-expect-error create() is answered with channel.updated: no messages or members; watch() gets them.
  const createdState: Omit<QueryChannelAPIResponse, 'duration'> = await channel.create();
  const updated: Pick<UpdateChannelAPIResponse, 'channel'> = await channel.update({
    name: 'Renamed',
    image: 'https://example.com/a.png',
    color: 'blue',
  });
  const streamData: Parameters<StreamChannel['update']>[0] = { frozen: false };
  // @ts-expect-error Stream's channelData types members as objects too, and every ChannelResponse field; the shim's is channel data, members as ids.
  await channel.update(streamData);
  const patched: Pick<PartialUpdateChannelAPIResponse, 'channel'> = await channel.updatePartial({
    set: { name: 'Renamed' },
    unset: ['color'],
  });
  const streamPartial: PartialUpdateChannel = { unset: ['frozen'] };
  // @ts-expect-error As for update(): Stream's `set` is any ChannelResponse field, members as objects.
  await channel.updatePartial(streamPartial);
  const deleted: Omit<DeleteChannelAPIResponse, 'duration'> = await channel.delete();
  // @ts-expect-error Channels are deleted for good: Stream's hard_delete option is not offered.
  await channel.delete({ hard_delete: true });
  const customField: unknown = channel.data?.color;

  // addMembers / removeMembers / addModerators(ids): the channel and its members in the answer.
  const added: Pick<UpdateChannelAPIResponse, 'channel'> = await channel.addMembers(['bob']);
  await channel.removeMembers(['bob']);
  await channel.addModerators(['bob']);
  const ids: string[] = ['bob'];
  // @ts-expect-error The shim's ids are a non-empty list (the schema's minItems 1); Stream's any string[].
  await channel.addMembers(ids);
  // @ts-expect-error Stream also takes NewMemberPayload objects; the shim takes ids.
  await channel.addMembers([{ user_id: 'bob', channel_role: 'channel_moderator' }]);

  // channel.markUnread({message_id}).
  await channel.markUnread({ message_id: 'm1' });
  const byThread: MarkUnreadOptions = { thread_id: 't1' };
  // @ts-expect-error Stream's MarkUnreadOptions may name a thread or a time; the shim needs message_id.
  await channel.markUnread(byThread);

  // channel.queryMembers / client.queryUsers(filter, sort, options): Stream's types in, `{members}`
  // and `{users}` (with presence) out.
  const memberFilter: MemberFilters = { name: { $autocomplete: 'bo' } };
  const memberSort: MemberSort = [{ name: 1 }];
  const memberOptions: QueryMembersOptions = { limit: 10, offset: 0 };
  const members: Omit<ChannelMemberAPIResponse, 'duration'> = await channel.queryMembers(
    memberFilter,
    memberSort,
    memberOptions,
  );
  const userFilter: UserFilters = { id: { $in: ['alice', 'bob'] } };
  const userSort: UserSort = { name: 1 };
  const userOptions: UserOptions = { limit: 10, offset: 0, presence: true };
  const found: Pick<
    Awaited<ReturnType<StreamChat['queryUsers']>>,
    'users'
  > = await client.queryUsers(userFilter, userSort, userOptions);
  await client.queryUsers({ name: { $autocomplete: 'al' } });
  const online: boolean | undefined = found.users[0]?.online;
  const memberOnline: UserResponse['online'] = channel.state.members['bob']?.user?.online;

  // The events of issue 9, with Stream's names and fields.
  client.on('notification.message_new', (event) => event.unread_count ?? event.channel?.cid);
  client.on('notification.mark_read', (event) => event.total_unread_count);
  client.on('notification.mark_unread', (event) => event.unread_messages);
  client.on('notification.added_to_channel', (event) => event.channel?.name);
  client.on('notification.removed_from_channel', (event) => event.cid);
  client.on('user.presence.changed', (event) => event.user?.online);
  channel.on('member.added', (event) => event.member?.user_id);
  channel.on('member.removed', (event) => event.member?.user?.name);
  channel.on('member.updated', (event) => event.member?.channel_role);
  channel.on('channel.updated', (event) => event.channel?.name);
  channel.on('channel.deleted', (event) => event.cid);

  void [channels, listed, unread, unreadCount, counted, since, total, unreadChannels];
  void [created, createdState, updated, patched, deleted, customField, added];
  void [members, found, online, memberOnline];
}
