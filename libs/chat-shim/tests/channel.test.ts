/**
 * LocalChannel against a mock Jatte server: watch, channel.state, sending, read state, typing, events.
 */
import WS from 'jest-websocket-mock';

import { LocalChatClient, type Event, type LocalChannel } from '../index';
import {
  CID,
  URL,
  alice,
  bob,
  channelState,
  healthCheck,
  message,
  messageNew,
  messageRead,
  messageSent,
  nextConnection,
  nextFrame,
  ok,
  typing,
  valid,
  watching,
} from './fixtures';

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
  jest.useRealTimers();
});

/** messaging:general, watched, holding `messages`. */
async function watchGeneral(messages = [message('m1', 'hello')]): Promise<LocalChannel> {
  const channel = client.channel('messaging', 'general');
  const watched = channel.watch();
  server.send(channelState((await nextFrame(server)).request_id, messages));
  await watched;
  return channel;
}

describe('channel()', () => {
  test('returns one cached channel per cid', () => {
    const general = client.channel('messaging', 'general');
    expect(client.channel('messaging', 'general')).toBe(general);
    expect(client.channel('messaging', 'random')).not.toBe(general);
    expect(general.cid).toBe(CID);
    expect(client.activeChannels[CID]).toBe(general);
  });

  test('every channel sends through the one socket', async () => {
    void client
      .channel('messaging', 'general')
      .watch()
      .catch(() => undefined);
    void client
      .channel('livestream', 'lobby')
      .watch()
      .catch(() => undefined);
    const cids = [await nextFrame(server), await nextFrame(server)].map((f) =>
      f.type === 'channel.watch' ? f.cid : f.type,
    );
    expect(cids).toEqual([CID, 'livestream:lobby']);
    expect(server.server.clients()).toHaveLength(1);
  });
});

describe('watch', () => {
  test('sends channel.watch with the channel data, its type and the messages and presence options', async () => {
    const channel = client.channel('messaging', 'pair', { name: 'Pair', members: ['bob'] });
    void channel.watch({ messages: { limit: 50 }, presence: true }).catch(() => undefined);
    const request = await nextFrame(server);
    expect(request).toEqual({
      type: 'channel.watch',
      request_id: expect.any(String),
      cid: 'messaging:pair',
      channel_type: 'messaging',
      data: { name: 'Pair', members: ['bob'] },
      messages: { limit: 50 },
      presence: true,
    });
  });

  test('resolves with the channel.state payload, with state already filled', async () => {
    const channel = client.channel('messaging', 'general');
    const watched = channel
      .watch()
      .then((response) => ({ response, messages: channel.state.messages }));
    const request = await nextFrame(server);
    const answer = channelState(request.request_id, [message('m1', 'hello')]);
    server.send(answer);

    const { response, messages } = await watched;
    expect(response).toEqual(answer);
    expect(messages.map((m) => m.text)).toEqual(['hello']);
    expect(channel.initialized).toBe(true);
    expect(channel.data?.name).toBe('General');
  });

  test('fills messages ordered by created_at and de-duplicated by id', async () => {
    const channel = await watchGeneral([
      message('late', 'third', bob, 30),
      message('early', 'first', alice, 10),
      message('mid', 'second', bob, 20),
      message('early', 'first', alice, 10),
    ]);
    expect(channel.state.messages.map((m) => m.id)).toEqual(['early', 'mid', 'late']);
  });

  test('fills read by user id, members by user id, and watcher_count', async () => {
    const channel = await watchGeneral();
    expect(channel.state.read.bob).toEqual({
      user: bob,
      last_read: expect.any(String),
      unread_messages: 2,
    });
    expect(Object.keys(channel.state.read)).toEqual(['alice', 'bob']);
    expect(channel.state.members.bob).toMatchObject({ user_id: 'bob', role: 'member' });
    expect(channel.state.members.alice).toMatchObject({ user_id: 'alice', role: 'owner' });
    expect(channel.state.watcher_count).toBe(1);
  });

  test('state is filled before a listener sees an event that follows the answer at once', async () => {
    const channel = client.channel('messaging', 'general');
    const seen: string[][] = [];
    channel.on('message.new', () => seen.push(channel.state.messages.map((m) => m.id)));
    const watched = channel.watch();
    const request = await nextFrame(server);
    server.send(channelState(request.request_id, [message('m1', 'hello')]));
    server.send(messageNew(message('m2', 'right after', bob, 2)));
    await watched;
    expect(seen).toEqual([['m1', 'm2']]);
  });
});

describe('events', () => {
  test('message.new is in state before channel and client listeners run', async () => {
    const channel = await watchGeneral();
    const seen: string[] = [];
    channel.on('message.new', (e) =>
      seen.push(`channel saw ${e.message?.id} in ${channel.state.messages.length}`),
    );
    client.on('message.new', (e) =>
      seen.push(`client saw ${e.message?.id} in ${channel.state.messages.length}`),
    );
    server.send(messageNew(message('m2', 'hi alice', bob, 2)));

    expect(seen.sort()).toEqual(['channel saw m2 in 2', 'client saw m2 in 2']);
    expect(channel.state.messages.at(-1)).toMatchObject({ id: 'm2', text: 'hi alice', user: bob });
  });

  test('a message.new already held is not added twice', async () => {
    const channel = await watchGeneral([message('m1', 'hello')]);
    server.send(messageNew(message('m1', 'hello')));
    expect(channel.state.messages.map((m) => m.id)).toEqual(['m1']);
  });

  test('a new message marks its sender as having read it', async () => {
    const channel = await watchGeneral();
    server.send(messageNew(message('m2', 'hi', bob, 2)));
    expect(channel.state.read.bob).toMatchObject({
      last_read_message_id: 'm2',
      unread_messages: 0,
    });
  });

  test("channel listeners get only their channel's events; client listeners get all", async () => {
    const general = await watchGeneral();
    const lobby = client.channel('livestream', 'lobby');
    const [onGeneral, onLobby, onClient] = [jest.fn(), jest.fn(), jest.fn()];
    general.on(onGeneral);
    lobby.on(onLobby);
    client.on('message.new', onClient);
    server.send(messageNew(message('m2', 'general only', bob, 2)));

    expect(onGeneral).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'message.new', cid: CID }),
    );
    expect(onLobby).not.toHaveBeenCalled();
    expect(onClient).toHaveBeenCalledTimes(1);
  });

  test('channel off and unsubscribe stop a listener', async () => {
    const channel = await watchGeneral();
    const [byOff, byUnsubscribe] = [jest.fn<void, [Event]>(), jest.fn<void, [Event]>()];
    channel.on('message.new', byOff);
    channel.on('message.new', byUnsubscribe).unsubscribe();
    channel.off('message.new', byOff);
    server.send(messageNew(message('m2', 'unheard', bob, 2)));
    expect(byOff).not.toHaveBeenCalled();
    expect(byUnsubscribe).not.toHaveBeenCalled();
    expect(channel.state.messages).toHaveLength(2);
  });

  test('message.read updates read for its user', async () => {
    const channel = await watchGeneral();
    const read = messageRead(bob, 'm1');
    server.send(read);
    expect(channel.state.read.bob).toEqual({
      user: bob,
      last_read: read.created_at,
      last_read_message_id: 'm1',
      unread_messages: 0,
    });
  });

  test('typing.start and typing.stop add and remove the typist', async () => {
    const channel = await watchGeneral();
    const typists: string[][] = [];
    channel.on(
      (e) => e.type.startsWith('typing.') && typists.push(Object.keys(channel.state.typing)),
    );
    server.send(typing('typing.start', bob));
    expect(channel.state.typing.bob).toMatchObject({ type: 'typing.start', user: bob });
    server.send(typing('typing.stop', bob));
    expect(typists).toEqual([['bob'], []]);
  });

  test('user.watching events update watcher_count', async () => {
    const channel = await watchGeneral();
    server.send(watching(2));
    expect(channel.state.watcher_count).toBe(2);
    server.send(valid({ ...watching(1), type: 'user.watching.stop' }));
    expect(channel.state.watcher_count).toBe(1);
  });

  test('a listener that throws does not strand the request its event answers', async () => {
    const channel = await watchGeneral();
    channel.on('message.read', () => {
      throw new Error('listener broke');
    });
    const marking = channel.markRead();
    const request = await nextFrame(server);
    expect(() => server.send(messageRead(alice, 'm1', request.request_id))).toThrow(
      'listener broke',
    );
    await expect(marking).resolves.toMatchObject({ event: { type: 'message.read', user: alice } });
  });
});

describe('sendMessage', () => {
  test('sends the text with an id the client makes, and resolves with the stored message', async () => {
    const channel = await watchGeneral();
    const sending = channel.sendMessage({ text: 'hello bob' });
    const request = await nextFrame(server);
    expect(request).toEqual({
      type: 'message.new',
      request_id: expect.any(String),
      cid: CID,
      text: 'hello bob',
      id: expect.stringMatching(/^[A-Za-z0-9_-]{1,255}$/),
    });
    const id = request.type === 'message.new' ? request.id! : '';
    server.send(messageNew(message(id, 'hello bob', alice, 3)));
    server.send(messageSent(request.request_id, message(id, 'hello bob', alice, 3)));

    await expect(sending).resolves.toMatchObject({
      message: { id, text: 'hello bob' },
      duplicate: false,
    });
    expect(channel.state.messages.map((m) => m.id)).toEqual(['m1', id]);
  });

  test('makes a different id for every message', async () => {
    const channel = await watchGeneral();
    void channel.sendMessage({ text: 'one' }).catch(() => undefined);
    void channel.sendMessage({ text: 'two' }).catch(() => undefined);
    const ids = [await nextFrame(server), await nextFrame(server)].map((f) =>
      f.type === 'message.new' ? f.id : '',
    );
    expect(new Set(ids).size).toBe(2);
  });

  test('keeps the id and parent_id it is given', async () => {
    const channel = await watchGeneral();
    void channel
      .sendMessage({ text: 'reply', id: 'my-id', parent_id: 'm1' })
      .catch(() => undefined);
    expect(await nextFrame(server)).toMatchObject({ id: 'my-id', parent_id: 'm1', text: 'reply' });
  });

  test('a resend with a known id (answered duplicate: true) leaves one copy in state', async () => {
    const channel = await watchGeneral();
    const stored = message('dup-1', 'once', alice, 4);
    const first = channel.sendMessage({ text: 'once', id: 'dup-1' });
    server.send(messageNew(stored));
    server.send(messageSent((await nextFrame(server)).request_id, stored));
    await first;
    const again = channel.sendMessage({ text: 'once', id: 'dup-1' });
    server.send(messageSent((await nextFrame(server)).request_id, stored, true));

    await expect(again).resolves.toMatchObject({ message: { id: 'dup-1' }, duplicate: true });
    expect(channel.state.messages.map((m) => m.id)).toEqual(['m1', 'dup-1']);
  });
});

describe('markRead', () => {
  test('sends message.read and resolves with { event }, updating own read state', async () => {
    const channel = await watchGeneral();
    const marking = channel.markRead();
    const request = await nextFrame(server);
    expect(request).toEqual({ type: 'message.read', request_id: expect.any(String), cid: CID });
    const event = messageRead(alice, 'm1', request.request_id);
    server.send(event);

    await expect(marking).resolves.toEqual({ event });
    expect(channel.state.read.alice).toMatchObject({
      last_read_message_id: 'm1',
      unread_messages: 0,
    });
  });

  test('markRead({ thread_id }) sends the thread; its answer leaves the channel’s read state', async () => {
    const channel = await watchGeneral();
    const before = JSON.parse(JSON.stringify(channel.state.read));
    const marking = channel.markRead({ thread_id: 'm1' });
    const request = await nextFrame(server);
    expect(request).toEqual({
      type: 'message.read',
      request_id: expect.any(String),
      cid: CID,
      thread_id: 'm1',
    });
    const event = { ...messageRead(alice, 'r2', request.request_id), thread_id: 'm1' };
    server.send(event);

    await expect(marking).resolves.toEqual({ event });
    expect(channel.state.read).toEqual(before);
  });
});

describe('typing', () => {
  /** The typing frames the server has received, in order. */
  const typingSent = () =>
    (server.messages as { type: string }[])
      .map((f) => f.type)
      .filter((type) => type.startsWith('typing.'));

  test('keystroke sends typing.start at most once per 2 s, and typing.stop 1 s after the last keystroke', async () => {
    const channel = await watchGeneral();
    jest.useFakeTimers();
    const press = () => void channel.keystroke().catch(() => undefined);
    press();
    for (let i = 0; i < 3; i++) {
      await jest.advanceTimersByTimeAsync(500);
      press();
    }
    expect(typingSent()).toEqual(['typing.start']);
    await jest.advanceTimersByTimeAsync(500);
    press(); // 2 s after the first typing.start
    await jest.advanceTimersByTimeAsync(999);
    expect(typingSent()).toEqual(['typing.start', 'typing.start']);
    await jest.advanceTimersByTimeAsync(10);
    expect(typingSent()).toEqual(['typing.start', 'typing.start', 'typing.stop']);
  });

  test('stopTyping sends typing.stop at once, and the next keystroke starts again', async () => {
    const channel = await watchGeneral();
    const started = channel.keystroke('m1');
    expect(await nextFrame(server)).toMatchObject({
      type: 'typing.start',
      cid: CID,
      parent_id: 'm1',
    });
    const stopped = channel.stopTyping('m1');
    expect(await nextFrame(server)).toMatchObject({
      type: 'typing.stop',
      cid: CID,
      parent_id: 'm1',
    });
    const again = channel.keystroke('m1');
    expect(await nextFrame(server)).toMatchObject({ type: 'typing.start', parent_id: 'm1' });
    for (const frame of server.messages.slice(-3) as { request_id: string }[])
      server.send(ok(frame.request_id));
    await expect(Promise.all([started, stopped, again])).resolves.toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});
