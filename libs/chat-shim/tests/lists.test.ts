/**
 * The calls of issue 9 against a mock Jatte server (channel lists, unread counts, channel data,
 * members, users, distinct channels), and how each of its events keeps `channel.state`,
 * `channel.data`, `client.user` and `client.activeChannels` the way the SDK keeps them.
 */
import WS from 'jest-websocket-mock';

import type {
  Channel,
  ChannelState,
  Member,
  Message,
  NotificationMarkReadEvent,
  NotificationMarkUnreadEvent,
  NotificationMessageNewEvent,
  User,
} from '../frames';
import { LocalChatClient, type Event, type LocalChannel } from '../index';
import {
  CID,
  URL,
  alice,
  at,
  bob,
  channelState,
  healthCheck,
  memberCapabilities,
  message,
  messageNew,
  messageRead,
  mute,
  mutesUpdated,
  nextConnection,
  nextFrame,
  reply,
  valid,
  type Received,
} from './fixtures';

const carol: User = { id: 'carol', name: 'Carol' };
const fields = { channel_type: 'messaging', channel_id: 'general', cid: CID };

let server: WS;
let client: LocalChatClient;

beforeEach(async () => {
  server = new WS(URL, { jsonProtocol: true });
  client = new LocalChatClient({ wsUrl: URL });
  const socket = nextConnection(server);
  const connected = client.connectUser(alice, 'token-alice');
  await socket;
  server.send(healthCheck());
  await connected;
});

afterEach(async () => {
  await client.disconnectUser();
  WS.clean();
});

/** Makes the request `call` makes; returns the frame the server received and the answer's promise. */
async function sent<T>(call: () => Promise<T>): Promise<[Received, Promise<T>]> {
  const answer = call();
  answer.catch(() => undefined);
  return [await nextFrame(server), answer];
}

/** messaging:<id> as the server describes it. */
const channelOf = (id = 'general', extra: Partial<Channel> = {}): Channel => ({
  id,
  type: 'messaging',
  cid: `messaging:${id}`,
  name: id === 'general' ? 'General' : `#${id}`,
  created_by: alice,
  created_at: at(0),
  updated_at: at(0),
  member_count: 2,
  frozen: false,
  disabled: false,
  ...extra,
});

const memberOf = (user: User, channel_role: Member['channel_role'] = 'channel_member'): Member => ({
  user_id: user.id,
  user,
  role: 'member',
  channel_role,
  banned: false,
  created_at: at(0),
  updated_at: at(0),
});

/** channel.state for messaging:<id> (no request_id: as a channels.state item), alice `unread` behind. */
function stateOf(
  id: string,
  unread = 0,
  messages: Message[] = [],
  users = [alice, bob],
): ChannelState {
  const frame = channelState('x', messages, 1, [], [...memberCapabilities, 'read-events']);
  return {
    ...frame,
    request_id: undefined,
    cid: `messaging:${id}`,
    channel: channelOf(id),
    members: users.map((user) => memberOf(user)),
    read: [{ user: alice, last_read: at(0), unread_messages: unread }],
  };
}

/** messaging:general, watched, with alice `unread` messages behind. */
async function watchGeneral(unread = 0, messages: Message[] = []): Promise<LocalChannel> {
  const channel = client.channel('messaging', 'general');
  const watched = channel.watch();
  server.send(
    valid({
      ...stateOf('general', unread, messages),
      request_id: (await nextFrame(server)).request_id,
    }),
  );
  await watched;
  return channel;
}

const counts = { total_unread_count: 5, unread_channels: 2 };

const messageNewNotification = (m: Message, unread_count: number): NotificationMessageNewEvent =>
  valid({
    type: 'notification.message_new',
    ...fields,
    channel: channelOf('general', { last_message_at: m.created_at }),
    message_id: m.id,
    message: m,
    user: m.user,
    unread_count,
    ...counts,
    created_at: m.created_at,
  });

const markRead = (unread_count: number): NotificationMarkReadEvent =>
  valid({
    type: 'notification.mark_read',
    ...fields,
    user: alice,
    last_read_message_id: 'm2',
    unread_count,
    ...counts,
    unread_threads: 0,
    created_at: at(40),
  });

const markUnread = (unread_messages: number, request_id?: string): NotificationMarkUnreadEvent =>
  valid({
    type: 'notification.mark_unread',
    request_id,
    ...fields,
    user: alice,
    first_unread_message_id: 'm2',
    last_read_at: at(1),
    last_read_message_id: 'm1',
    unread_messages,
    unread_count: unread_messages,
    ...counts,
    unread_threads: 0,
    created_at: at(50),
  });

const hello = message('m1', 'hello', alice, 1);
const fromBob = message('m2', 'from bob', bob, 2);

describe('client.queryChannels', () => {
  test('sends channels.query with the filter, the sort as {field, direction} and the options', async () => {
    const [frame] = await sent(() =>
      client.queryChannels(
        { members: { $in: ['alice'] } },
        [{ last_message_at: -1 }, { created_at: 1 }],
        { limit: 20, offset: 10, watch: true, state: true, presence: true, message_limit: 5 },
      ),
    );
    expect(frame).toEqual({
      type: 'channels.query',
      request_id: expect.any(String),
      filter_conditions: { members: { $in: ['alice'] } },
      sort: [
        { field: 'last_message_at', direction: -1 },
        { field: 'created_at', direction: 1 },
      ],
      limit: 20,
      offset: 10,
      watch: true,
      state: true,
      presence: true,
      message_limit: 5,
    });
    const [single] = await sent(() => client.queryChannels({}, { last_message_at: -1 }));
    expect(single).toMatchObject({ sort: [{ field: 'last_message_at', direction: -1 }] });
    const [unsorted] = await sent(() => client.queryChannels({ type: 'messaging' }));
    expect(unsorted).toEqual({
      type: 'channels.query',
      request_id: expect.any(String),
      filter_conditions: { type: 'messaging' },
    });
  });

  test('resolves with the client’s channels, in the answer’s order, each initialised from its state', async () => {
    const general = client.channel('messaging', 'general');
    const [frame, querying] = await sent(() => client.queryChannels({}, { last_message_at: -1 }));
    const channels = [stateOf('random', 0, []), stateOf('general', 2, [hello, fromBob])];
    server.send(valid({ type: 'channels.state', request_id: frame.request_id, channels }));
    const [random, second] = await querying;
    expect(second).toBe(general);
    expect(client.activeChannels['messaging:random']).toBe(random);
    expect([random.cid, random.id, random.type]).toEqual([
      'messaging:random',
      'random',
      'messaging',
    ]);
    expect(random.initialized).toBe(true);
    expect(second.data).toMatchObject({ name: 'General', own_capabilities: expect.any(Array) });
    expect(second.state.messages.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(Object.keys(second.state.members)).toEqual(['alice', 'bob']);
    expect(second.state.unreadCount).toBe(2);
    expect(second.countUnread()).toBe(2);
    expect(random.countUnread()).toBe(0);
  });

  test('a queried channel then gets the events for its cid', async () => {
    const [frame, querying] = await sent(() => client.queryChannels({}));
    server.send(
      valid({
        type: 'channels.state',
        request_id: frame.request_id,
        channels: [stateOf('general')],
      }),
    );
    const [general] = await querying;
    const seen: string[] = [];
    general.on('message.new', (event) => seen.push(event.message?.id ?? ''));
    server.send(messageNew(fromBob));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(seen).toEqual(['m2']);
    expect(general.state.unreadCount).toBe(1);
  });
});

describe('unread counts', () => {
  test('client.getUnreadCount sends unread.get and resolves with unread.counts', async () => {
    const [frame, asking] = await sent(() => client.getUnreadCount());
    expect(frame).toEqual({ type: 'unread.get', request_id: expect.any(String) });
    const answer = {
      type: 'unread.counts' as const,
      request_id: frame.request_id,
      total_unread_count: 3,
      total_unread_threads_count: 0,
      channels: [{ channel_id: CID, last_read: at(0), unread_count: 3 }],
      channel_type: [{ channel_type: 'messaging', channel_count: 1, unread_count: 3 }],
      threads: [],
    };
    server.send(valid(answer));
    await expect(asking).resolves.toMatchObject({
      total_unread_count: 3,
      channels: [{ unread_count: 3 }],
    });
  });

  test('channel.state sets unreadCount from the user’s own read entry', async () => {
    const channel = await watchGeneral(3);
    expect(channel.state.unreadCount).toBe(3);
    expect(channel.countUnread()).toBe(3);
  });

  test('message.new from someone else counts; the user’s own message resets the count', async () => {
    const channel = await watchGeneral(1);
    server.send(messageNew(fromBob));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(channel.state.unreadCount).toBe(2);
    server.send(messageNew(message('m3', 'mine', alice, 3)));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(channel.state.unreadCount).toBe(0);
  });

  test('a muted user’s, a silent, a system and a thread-only message do not count; a reply shown in the channel does', async () => {
    const channel = await watchGeneral(0, [hello]);
    server.send(mutesUpdated([mute(carol)]));
    server.send(messageNew(message('c1', 'muted', carol, 2)));
    server.send(messageNew({ ...message('s1', 'silent', bob, 3), silent: true }));
    server.send(messageNew({ ...message('y1', 'joined', bob, 4), type: 'system' }));
    server.send(messageNew(reply('r1', 'm1', 'in the thread', bob, 5)));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(channel.state.unreadCount).toBe(0);
    server.send(messageNew(reply('r2', 'm1', 'also in the channel', bob, 6, true)));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(channel.state.unreadCount).toBe(1);
  });

  test('nothing counts in a channel whose own_capabilities lack read-events', async () => {
    const channel = client.channel('messaging', 'general');
    const watched = channel.watch();
    const request_id = (await nextFrame(server)).request_id;
    server.send(valid({ ...stateOf('general'), request_id, own_capabilities: memberCapabilities }));
    await watched;
    server.send(messageNew(fromBob));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(channel.state.unreadCount).toBe(0);
  });

  test('countUnread(lastRead) counts the held messages after it that count', async () => {
    const messages = [hello, fromBob, message('m3', 'more', bob, 3), message('m4', 'me', alice, 4)];
    const channel = await watchGeneral(0, messages);
    expect(channel.countUnread(new Date(at(1)))).toBe(2);
    expect(channel.countUnread(new Date(at(2)))).toBe(1);
    expect(channel.countUnread()).toBe(0);
  });

  test('message.read by the user resets the count; another reader’s does not', async () => {
    const channel = await watchGeneral(4);
    server.send(messageRead(bob, 'm2'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(channel.state.unreadCount).toBe(4);
    server.send(messageRead(alice, 'm2'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(channel.state.unreadCount).toBe(0);
  });

  test('notification.message_new files the message, sets the count, the channel data and the user’s totals', async () => {
    const [frame, querying] = await sent(() => client.queryChannels({}));
    server.send(
      valid({
        type: 'channels.state',
        request_id: frame.request_id,
        channels: [stateOf('general', 0, [hello])],
      }),
    );
    const [general] = await querying;
    const heard: Event[] = [];
    client.on('notification.message_new', (event) => heard.push(event));
    server.send(messageNewNotification(fromBob, 1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(general.state.messages.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(general.state.unreadCount).toBe(1);
    expect(general.data?.last_message_at).toBe(fromBob.created_at);
    expect(general.data?.own_capabilities).toEqual(expect.any(Array));
    expect(client.user).toMatchObject({ id: 'alice', total_unread_count: 5, unread_channels: 2 });
    expect(heard.map((event) => event.unread_count)).toEqual([1]);
  });

  test('notification.message_new for a channel the client does not hold updates only the totals', async () => {
    const heard: string[] = [];
    client.on((event) => heard.push(event.type));
    server.send(messageNewNotification(fromBob, 1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(client.activeChannels[CID]).toBeUndefined();
    expect(client.user?.total_unread_count).toBe(5);
    expect(heard).toEqual(['notification.message_new']);
  });

  test('a later health.check (a heartbeat, without `me`) keeps the totals the notifications set', async () => {
    server.send(messageNewNotification(fromBob, 1));
    const { me, ...heartbeat } = healthCheck();
    expect(me?.total_unread_count).toBe(0);
    server.send(heartbeat);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(client.user).toMatchObject({ id: 'alice', total_unread_count: 5, unread_channels: 2 });
  });

  test('notification.mark_read of a thread sets the totals and leaves the channel’s count and read entry', async () => {
    const channel = await watchGeneral(2);
    const read = JSON.parse(JSON.stringify(channel.state.read));
    server.send({ ...markRead(0), thread_id: 'm1', unread_threads: 3 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(channel.state.unreadCount).toBe(2);
    expect(channel.state.read).toEqual(read);
    expect(client.user).toMatchObject({ total_unread_count: 5, unread_threads: 3 });
  });

  test('notification.mark_read (another tab read it) sets the count, the read entry and the totals', async () => {
    const channel = await watchGeneral(2);
    server.send(markRead(0));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(channel.state.unreadCount).toBe(0);
    expect(channel.state.read['alice']).toMatchObject({
      last_read_message_id: 'm2',
      unread_messages: 0,
    });
    expect(client.user).toMatchObject({
      total_unread_count: 5,
      unread_channels: 2,
      unread_threads: 0,
    });
  });

  test('channel.markUnread sends message.unread; its notification.mark_unread sets the count and read entry', async () => {
    const channel = await watchGeneral(0, [hello, fromBob]);
    const [frame, marking] = await sent(() => channel.markUnread({ message_id: 'm2' }));
    expect(frame).toEqual({
      type: 'message.unread',
      request_id: expect.any(String),
      cid: CID,
      message_id: 'm2',
    });
    server.send(markUnread(1, frame.request_id));
    await expect(marking).resolves.toMatchObject({ unread_messages: 1 });
    expect(channel.state.unreadCount).toBe(1);
    expect(channel.state.read['alice']).toEqual({
      user: alice,
      last_read: at(1),
      last_read_message_id: 'm1',
      unread_messages: 1,
    });
    expect(client.user?.total_unread_count).toBe(5);
  });

  test('notification.mark_unread from another tab reaches listeners and sets the count', async () => {
    const channel = await watchGeneral(0);
    const heard: Event[] = [];
    channel.on('notification.mark_unread', (event) => heard.push(event));
    server.send(markUnread(2));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(channel.state.unreadCount).toBe(2);
    expect(heard).toHaveLength(1);
  });
});

describe('channel data: create, update, updatePartial, delete', () => {
  const updated = (channel: Channel, request_id?: string, members?: Member[]) =>
    valid({
      type: 'channel.updated' as const,
      request_id,
      ...fields,
      channel,
      members,
      user: alice,
      created_at: at(60),
    });

  test('create() sends channel.update get_or_create with the data client.channel() was given', async () => {
    const channel = client.channel('messaging', 'general', {
      name: 'General',
      members: ['bob'],
      color: 'teal',
    });
    const [frame, creating] = await sent(() => channel.create());
    expect(frame).toEqual({
      type: 'channel.update',
      request_id: expect.any(String),
      cid: CID,
      get_or_create: true,
      channel_type: 'messaging',
      data: { name: 'General', members: ['bob'], color: 'teal' },
    });
    server.send(updated(channelOf('general', { color: 'teal' }), frame.request_id));
    await expect(creating).resolves.toMatchObject({ channel: { cid: CID, color: 'teal' } });
  });

  test('update(data) and updatePartial({set, unset}) send channel.update; channel.delete sends channel.delete', async () => {
    const channel = client.channel('messaging', 'general');
    const [whole] = await sent(() => channel.update({ name: 'Renamed', color: 'blue' }));
    expect(whole).toEqual({
      type: 'channel.update',
      request_id: expect.any(String),
      cid: CID,
      data: { name: 'Renamed', color: 'blue' },
    });
    const [partial] = await sent(() =>
      channel.updatePartial({ set: { name: 'Again' }, unset: ['color'] }),
    );
    expect(partial).toEqual({
      type: 'channel.update',
      request_id: expect.any(String),
      cid: CID,
      set: { name: 'Again' },
      unset: ['color'],
    });
    const [gone] = await sent(() => channel.delete());
    expect(gone).toEqual({ type: 'channel.delete', request_id: expect.any(String), cid: CID });
  });

  test('channel.updated replaces the data but keeps own_capabilities and config; members only when it carries them', async () => {
    const channel = await watchGeneral();
    const capabilities = channel.data?.own_capabilities;
    const heard: (string | undefined)[] = [];
    channel.on('channel.updated', () => heard.push(channel.data?.name));
    server.send(updated(channelOf('general', { name: 'Renamed', color: 'blue' })));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(channel.data).toMatchObject({
      name: 'Renamed',
      color: 'blue',
      own_capabilities: capabilities,
    });
    expect(channel.data?.config).toBeDefined();
    expect(heard).toEqual(['Renamed']);
    expect(Object.keys(channel.state.members)).toEqual(['alice', 'bob']);

    server.send(updated(channelOf('general', { name: 'Renamed' })));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(channel.data?.color).toBeUndefined(); // unset: gone from the data too

    server.send(updated(channelOf('general'), undefined, [memberOf(alice), memberOf(carol)]));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(Object.keys(channel.state.members)).toEqual(['alice', 'carol']);
  });

  test('channel.deleted takes the channel out of activeChannels after its own listeners heard it', async () => {
    const channel = await watchGeneral();
    const heard: string[] = [];
    channel.on('channel.deleted', (event) => heard.push(event.cid ?? ''));
    server.send(
      valid({
        type: 'channel.deleted',
        ...fields,
        channel: channelOf(),
        user: alice,
        created_at: at(70),
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(heard).toEqual([CID]);
    expect(client.activeChannels[CID]).toBeUndefined();
    expect(client.channel('messaging', 'general')).not.toBe(channel);
  });
});

describe('members and users', () => {
  test('addMembers / removeMembers / addModerators send the ids; the answer’s members replace the held ones', async () => {
    const channel = await watchGeneral();
    const [add, adding] = await sent(() => channel.addMembers(['carol']));
    expect(add).toEqual({
      type: 'channel.members.add',
      request_id: expect.any(String),
      cid: CID,
      user_ids: ['carol'],
    });
    const members = [memberOf(alice), memberOf(bob), memberOf(carol)];
    server.send(
      valid({
        type: 'channel.updated',
        request_id: add.request_id,
        ...fields,
        channel: channelOf('general', { member_count: 3 }),
        members,
        user: alice,
        created_at: at(60),
      }),
    );
    await expect(adding).resolves.toMatchObject({ members: [{}, {}, { user_id: 'carol' }] });
    expect(Object.keys(channel.state.members)).toEqual(['alice', 'bob', 'carol']);
    expect(channel.data?.member_count).toBe(3);
    const [remove] = await sent(() => channel.removeMembers(['carol']));
    expect(remove).toMatchObject({ type: 'channel.members.remove', user_ids: ['carol'] });
    const [moderate] = await sent(() => channel.addModerators(['bob']));
    expect(moderate).toMatchObject({ type: 'channel.moderators.add', user_ids: ['bob'] });
  });

  test('member.added, member.updated and member.removed keep channel.state.members', async () => {
    const channel = await watchGeneral();
    const event = (type: 'member.added' | 'member.updated' | 'member.removed', member: Member) =>
      valid({ type, ...fields, member, user: member.user, created_at: at(80) });
    server.send(event('member.added', memberOf(carol)));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(channel.state.members['carol']).toMatchObject({ channel_role: 'channel_member' });
    server.send(event('member.updated', memberOf(carol, 'channel_moderator')));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(channel.state.members['carol']).toMatchObject({ channel_role: 'channel_moderator' });
    server.send(event('member.removed', memberOf(carol)));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(Object.keys(channel.state.members)).toEqual(['alice', 'bob']);
  });

  test('channel.queryMembers sends members.query for the channel; client.queryUsers sends users.query', async () => {
    const channel = client.channel('messaging', 'general');
    const [members, listing] = await sent(() =>
      channel.queryMembers(
        { name: { $autocomplete: 'bo' } },
        { name: 1 },
        { limit: 5, presence: true },
      ),
    );
    expect(members).toEqual({
      type: 'members.query',
      request_id: expect.any(String),
      cid: CID,
      filter_conditions: { name: { $autocomplete: 'bo' } },
      sort: [{ field: 'name', direction: 1 }],
      limit: 5,
      presence: true,
    });
    server.send(
      valid({ type: 'members.list', request_id: members.request_id, members: [memberOf(bob)] }),
    );
    await expect(listing).resolves.toMatchObject({ members: [{ user_id: 'bob' }] });

    const [users, finding] = await sent(() =>
      client.queryUsers({ id: { $autocomplete: 'b' } }, [{ name: -1 }], { presence: true }),
    );
    expect(users).toEqual({
      type: 'users.query',
      request_id: expect.any(String),
      filter_conditions: { id: { $autocomplete: 'b' } },
      sort: [{ field: 'name', direction: -1 }],
      presence: true,
    });
    const online = { ...bob, online: true, last_active: at(90) };
    server.send(valid({ type: 'users.list', request_id: users.request_id, users: [online] }));
    await expect(finding).resolves.toEqual(expect.objectContaining({ users: [online] }));
  });

  test('user.presence.changed updates the user in every held channel the user is a member of', async () => {
    const general = await watchGeneral();
    const [frame, querying] = await sent(() => client.queryChannels({}));
    server.send(
      valid({
        type: 'channels.state',
        request_id: frame.request_id,
        channels: [stateOf('random', 0, [], [alice, bob]), stateOf('quiet', 0, [], [alice])],
      }),
    );
    const [random, quiet] = await querying;
    const heard: (boolean | undefined)[] = [];
    client.on('user.presence.changed', (event) =>
      heard.push(general.state.members['bob']?.user.online),
    );
    server.send(
      valid({
        type: 'user.presence.changed',
        user: { ...bob, online: false, last_active: at(99) },
        created_at: at(99),
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (const channel of [general, random]) {
      expect(channel.state.members['bob']).toMatchObject({
        user_id: 'bob',
        user: { online: false, last_active: at(99) },
      });
    }
    expect(quiet.state.members['bob']).toBeUndefined();
    expect(heard).toEqual([false]);
  });
});

describe('notifications about membership', () => {
  test('notification.added_to_channel and removed_from_channel reach client listeners and change no held channel', async () => {
    const channel = await watchGeneral();
    const heard: string[] = [];
    client.on((event) => heard.push(`${event.type} ${event.cid}`));
    const fields = { channel_type: 'messaging', channel_id: 'random', cid: 'messaging:random' };
    server.send(
      valid({
        type: 'notification.added_to_channel',
        ...fields,
        channel: channelOf('random'),
        member: memberOf(alice),
        user: alice,
        created_at: at(90),
      }),
    );
    server.send(
      valid({
        type: 'notification.removed_from_channel',
        ...fields,
        user: alice,
        created_at: at(91),
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(heard).toEqual([
      'notification.added_to_channel messaging:random',
      'notification.removed_from_channel messaging:random',
    ]);
    expect(client.activeChannels['messaging:random']).toBeUndefined();
    expect(Object.keys(channel.state.members)).toEqual(['alice', 'bob']);
  });
});

describe('distinct channels (members, no id)', () => {
  test('watch sends the type and members without a cid; the answer files the channel under the cid it names', async () => {
    const channel = client.channel('messaging', { members: ['alice', 'bob'] });
    expect(channel.cid).toBeUndefined();
    const [frame, watching] = await sent(() => channel.watch());
    expect(frame).toEqual({
      type: 'channel.watch',
      request_id: expect.any(String),
      channel_type: 'messaging',
      data: { members: ['alice', 'bob'] },
    });
    const cid = 'messaging:!members-abc';
    const answer = { ...stateOf('!members-abc'), request_id: frame.request_id };
    server.send(valid(answer));
    await watching;
    expect([channel.cid, channel.id]).toEqual([cid, '!members-abc']);
    expect(client.activeChannels[cid]).toBe(channel);
    expect(client.channel('messaging', '!members-abc')).toBe(channel);
    expect(channel.initialized).toBe(true);
    server.send(
      valid({ ...messageNew({ ...fromBob, id: 'm9', cid }), cid, channel_id: '!members-abc' }),
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(channel.state.messages.map((m) => m.id)).toEqual(['m9']);
  });

  test('create() of a distinct channel sends channel.update without a cid and files it from channel.updated', async () => {
    const channel = client.channel('messaging', { members: ['bob'] });
    const [frame, creating] = await sent(() => channel.create());
    expect(frame).toEqual({
      type: 'channel.update',
      request_id: expect.any(String),
      get_or_create: true,
      channel_type: 'messaging',
      data: { members: ['bob'] },
    });
    const cid = 'messaging:!members-xyz';
    const made = channelOf('!members-xyz');
    server.send(
      valid({
        type: 'channel.updated',
        request_id: frame.request_id,
        cid,
        channel_type: 'messaging',
        channel_id: made.id,
        channel: made,
        user: alice,
        created_at: at(60),
      }),
    );
    await creating;
    expect(channel.cid).toBe(cid);
    expect(client.activeChannels[cid]).toBe(channel);
  });
});
