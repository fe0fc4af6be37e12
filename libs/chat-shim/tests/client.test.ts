/**
 * LocalChatClient against a mock Jatte server: the socket, requests, client events, reconnection.
 */
import WS from 'jest-websocket-mock';

import type { HealthCheckEvent } from '../frames';
import { ChatError, LocalChatClient, type Event, type LocalChannel } from '../index';
import {
  CID,
  URL,
  alice,
  channelState,
  error,
  healthCheck,
  message,
  messageNew,
  messageSent,
  nextConnection,
  nextFrame,
  ownUser,
  valid,
} from './fixtures';

let server: WS;
const clients: LocalChatClient[] = [];

beforeEach(() => {
  server = new WS(URL, { jsonProtocol: true });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.disconnectUser()));
  WS.clean();
  jest.useRealTimers();
  jest.restoreAllMocks();
});

/** A client connected as alice, and the server side of its socket. */
async function connect() {
  const client = new LocalChatClient({ wsUrl: URL });
  clients.push(client);
  const socket = nextConnection(server);
  const connected = client.connectUser({ id: 'alice' }, 'token-alice');
  const serverSide = await socket;
  server.send(healthCheck());
  return { client, socket: serverSide, first: await connected };
}

/** messaging:general, watched, holding `messages`. */
async function watchGeneral(
  client: LocalChatClient,
  messages = [message('m1', 'hello')],
): Promise<LocalChannel> {
  const channel = client.channel('messaging', 'general');
  const watching = channel.watch();
  server.send(channelState((await nextFrame(server)).request_id, messages));
  await watching;
  return channel;
}

/** Resolves with the next event of `type` the client emits. */
const nextEvent = (client: LocalChatClient, type: Event['type']): Promise<Event> =>
  new Promise((resolve) => {
    const { unsubscribe } = client.on(type, (event) => {
      unsubscribe();
      resolve(event);
    });
  });

/** The type of every event the client emits, with connection.changed written as online/offline. */
function recordEvents(client: LocalChatClient): string[] {
  const seen: string[] = [];
  client.on((e) =>
    seen.push(e.type === 'connection.changed' ? (e.online ? 'online' : 'offline') : e.type),
  );
  return seen;
}

describe('connectUser', () => {
  test('opens one socket whose URL carries the token', async () => {
    const { socket } = await connect();
    expect(new globalThis.URL(socket.url).searchParams.get('token')).toBe('token-alice');
    expect(server.server.clients()).toHaveLength(1);
  });

  test('resolves with the first health.check and takes the user from its `me`', async () => {
    const { client, first } = await connect();
    expect(first).toEqual(healthCheck());
    expect(client.userID).toBe('alice');
    expect(client.user).toMatchObject({ id: 'alice', name: 'Alice' });
  });

  test('rejects with the close reason when the server refuses the token, and does not reconnect', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    let connections = 0;
    server.on('connection', () => connections++);
    const client = new LocalChatClient({ wsUrl: URL });
    const socket = nextConnection(server);
    const connecting = client.connectUser(alice, 'expired-token');
    (await socket).close({ code: 4001, reason: 'token expired', wasClean: true });

    await expect(connecting).rejects.toThrow('Closed (4001): token expired');
    await expect(connecting).rejects.toMatchObject({ code: 4001 });
    await jest.advanceTimersByTimeAsync(60_000);
    expect(connections).toBe(1);
    expect(client.userID).toBeUndefined();
  });

  test('rejects a second user while one is connected', async () => {
    const { client } = await connect();
    await expect(client.connectUser({ id: 'bob' }, 'token-bob')).rejects.toThrow(
      /"alice" is connected/,
    );
    expect(client.userID).toBe('alice');
  });

  test('defaults to port 8000 of the page host', async () => {
    const local = new WS('ws://localhost:8000/ws/chat/', { jsonProtocol: true });
    const client = new LocalChatClient();
    const socket = nextConnection(local);
    const connecting = client.connectUser(alice, 'jwt');
    expect((await socket).url).toBe('ws://localhost:8000/ws/chat/?token=jwt');
    await client.disconnectUser();
    await expect(connecting).rejects.toThrow('Disconnected');
  });
});

describe('requests', () => {
  test('an error frame rejects the request it answers with a ChatError carrying the code', async () => {
    const { client } = await connect();
    const watching = client.channel('messaging', 'secret').watch();
    const request = await nextFrame(server);
    server.send(
      error(request.request_id, 'not_allowed', 'You are not a member of messaging:secret.'),
    );

    const refusal = await watching.catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ChatError);
    expect(refusal).toMatchObject({
      code: 'not_allowed',
      message: 'You are not a member of messaging:secret.',
    });
  });

  test('an error frame leaves other pending requests waiting for their own answers', async () => {
    const { client } = await connect();
    const general = client.channel('messaging', 'general');
    const first = general.sendMessage({ text: 'one', id: 'one' });
    const second = general.sendMessage({ text: 'two', id: 'two' });
    const [a, b] = [await nextFrame(server), await nextFrame(server)];
    server.send(error(a.request_id, 'rate_limited', 'Slow down.'));
    server.send(messageSent(b.request_id, message('two', 'two')));

    await expect(first).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(second).resolves.toMatchObject({ message: { id: 'two' } });
  });

  test('requests made before the first health.check go out once it arrives', async () => {
    const client = new LocalChatClient({ wsUrl: URL });
    clients.push(client);
    const socket = nextConnection(server);
    const connected = client.connectUser(alice, 'token-alice');
    const watching = client.channel('messaging', 'general').watch();
    await socket;
    expect(server.messages).toEqual([]);

    server.send(healthCheck());
    await connected;
    const request = await nextFrame(server);
    expect(request).toMatchObject({ type: 'channel.watch', cid: CID });
    server.send(channelState(request.request_id, []));
    await expect(watching).resolves.toMatchObject({ type: 'channel.state', cid: CID });
  });

  test('a request before connectUser is refused', async () => {
    const client = new LocalChatClient({ wsUrl: URL });
    await expect(client.channel('messaging', 'general').watch()).rejects.toThrow('Not connected');
  });
});

describe('client events', () => {
  test('client listeners get events of every channel, by type or all', async () => {
    const { client } = await connect();
    const all: Event[] = [];
    const news: Event[] = [];
    client.on((e) => all.push(e));
    client.on('message.new', (e) => news.push(e));
    const elsewhere = valid({
      ...messageNew(message('x1', 'elsewhere')),
      cid: 'livestream:lobby',
      channel_type: 'livestream',
      channel_id: 'lobby',
    });
    server.send(messageNew(message('m1', 'hello')));
    server.send(elsewhere);

    expect(news.map((e) => e.cid)).toEqual([CID, 'livestream:lobby']);
    expect(all.map((e) => e.message?.text)).toEqual(['hello', 'elsewhere']);
  });

  test('off and unsubscribe stop a listener; other listeners keep running', async () => {
    const { client } = await connect();
    const [byOff, byUnsubscribe, kept] = [jest.fn(), jest.fn(), jest.fn()];
    client.on('message.new', byOff);
    const subscription = client.on(byUnsubscribe);
    client.on('message.new', kept);
    client.off('message.new', byOff);
    subscription.unsubscribe();
    server.send(messageNew(message('m1', 'hello')));

    expect(byOff).not.toHaveBeenCalled();
    expect(byUnsubscribe).not.toHaveBeenCalled();
    expect(kept).toHaveBeenCalledTimes(1);
  });

  test("'all' is the same as no type", async () => {
    const { client } = await connect();
    const listener = jest.fn();
    client.on('all', listener);
    server.send(messageNew(message('m1', 'hello')));
    client.off(listener);
    server.send(messageNew(message('m2', 'again')));
    expect(listener).toHaveBeenCalledTimes(1);
  });
});

describe('reconnection', () => {
  test('after an unexpected close it reconnects with the same token, re-watches from its newest message, then emits connection.recovered', async () => {
    const { client, socket } = await connect();
    const channel = await watchGeneral(client, [message('m1', 'hello', alice, 1)]);
    const events = recordEvents(client);
    const again = nextConnection(server);
    socket.close({ code: 1011, reason: 'server restart', wasClean: true });
    const socket2 = await again;

    expect(events).toEqual(['offline']);
    expect(new globalThis.URL(socket2.url).searchParams.get('token')).toBe('token-alice');
    const recovered = nextEvent(client, 'connection.recovered');
    server.send(healthCheck());
    const rewatch = await nextFrame(server);
    // it asks only for what it missed: the messages after the newest one it holds
    expect(rewatch).toMatchObject({
      type: 'channel.watch',
      cid: CID,
      messages: { id_gt: 'm1', limit: 300 },
    });
    server.send(channelState(rewatch.request_id, [message('m2', 'missed', alice, 2)], 3));
    await recovered;

    expect(events).toEqual(['offline', 'online', 'health.check', 'connection.recovered']);
    expect(channel.state.messages.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(channel.state.watcher_count).toBe(3);
    expect(client.activeChannels[CID]).toBe(channel);
  });

  test('a gap of more than one page is fetched page by page after the reconnect', async () => {
    const { client, socket } = await connect();
    const channel = await watchGeneral(client, [message('m0', 'before', alice, 1)]);
    const again = nextConnection(server);
    socket.close({ code: 1011, reason: 'server restart', wasClean: true });
    await again;
    const recovered = nextEvent(client, 'connection.recovered');
    server.send(healthCheck());
    const missed = Array.from({ length: 305 }, (_, n) =>
      message(`g${n}`, `missed ${n}`, alice, n + 2),
    );
    const first = await nextFrame(server);
    expect(first).toMatchObject({ type: 'channel.watch', messages: { id_gt: 'm0', limit: 300 } });
    server.send(channelState(first.request_id, missed.slice(0, 300)));
    const second = await nextFrame(server);
    // the next page starts after the last message of the page, not after the newest one held
    expect(second).toMatchObject({
      type: 'channel.watch',
      messages: { id_gt: 'g299', limit: 300 },
    });
    server.send(channelState(second.request_id, missed.slice(300)));
    await recovered;
    expect(channel.state.messages).toHaveLength(306);
    expect(channel.state.messages.at(-1)?.id).toBe('g304');
  });

  test('a message sent while offline goes out after the reconnect with its id, once', async () => {
    const { client, socket } = await connect();
    const channel = await watchGeneral(client);
    const offline = nextEvent(client, 'connection.changed');
    const again = nextConnection(server);
    socket.close({ code: 1006, reason: '', wasClean: false });
    await offline;
    const sending = channel.sendMessage({ text: 'written offline', id: 'offline-1' });
    await again;
    expect(server.messages.filter((f) => (f as { type: string }).type === 'message.new')).toEqual(
      [],
    );

    server.send(healthCheck());
    const rewatch = await nextFrame(server);
    const resent = await nextFrame(server);
    expect(rewatch.type).toBe('channel.watch');
    expect(resent).toMatchObject({
      type: 'message.new',
      cid: CID,
      id: 'offline-1',
      text: 'written offline',
    });
    server.send(channelState(rewatch.request_id, [message('m1', 'hello')]));
    server.send(messageSent(resent.request_id, message('offline-1', 'written offline', alice, 5)));

    await expect(sending).resolves.toMatchObject({ message: { id: 'offline-1' } });
    expect(channel.state.messages.map((m) => m.id)).toEqual(['m1', 'offline-1']);
  });

  test('a message whose answer was lost with the socket is resent with the same id and stored once', async () => {
    const { client, socket } = await connect();
    const channel = await watchGeneral(client);
    const sending = channel.sendMessage({ text: 'in flight' });
    const first = await nextFrame(server);
    const stored = message(first.type === 'message.new' ? first.id! : '', 'in flight', alice, 5);
    // The server stored it and told the watchers, then the socket dropped before message.sent.
    server.send(messageNew(stored));
    const again = nextConnection(server);
    socket.close({ code: 1011, reason: 'crash', wasClean: true });
    await again;
    server.send(healthCheck());
    const rewatch = await nextFrame(server);
    const resent = await nextFrame(server);

    expect(resent).toEqual(first);
    server.send(channelState(rewatch.request_id, [message('m1', 'hello'), stored]));
    server.send(messageSent(resent.request_id, stored, true));
    await expect(sending).resolves.toMatchObject({ message: { id: stored.id }, duplicate: true });
    expect(channel.state.messages.filter((m) => m.id === stored.id)).toHaveLength(1);
  });

  test('a server silent for 35 s counts as gone: the client goes offline and reconnects', async () => {
    const { client } = await connect();
    jest.useFakeTimers();
    const events = recordEvents(client);
    const again = nextConnection(server);
    await jest.advanceTimersByTimeAsync(34_000);
    expect(events).toEqual([]); // a quiet server within 35 s is fine
    server.send(healthCheck()); // the server's own heartbeat restarts the count
    await jest.advanceTimersByTimeAsync(34_000);
    expect(events).toEqual(['health.check']);
    await jest.advanceTimersByTimeAsync(1_500);
    expect(events).toEqual(['health.check', 'offline']);
    await jest.advanceTimersByTimeAsync(1_000);
    await again; // a new socket, after the backoff
  });

  test('waits longer after each failed attempt, up to 25 s', async () => {
    const { socket } = await connect();
    jest.useFakeTimers(); // from here on, time moves only when the test says so
    const random = jest.spyOn(Math, 'random').mockReturnValue(0.999999); // the longest delay each time
    const times: number[] = [];
    server.on('connection', (s) => {
      times.push(Date.now());
      s.close({ code: 1011, reason: 'still down', wasClean: true });
    });
    const dropped = Date.now();
    socket.close({ code: 1011, reason: 'down', wasClean: true });
    await jest.advanceTimersByTimeAsync(120_000);

    // Each gap is the backoff (a hair under the full delay) plus mock-socket's 4 ms to deliver a
    // close and 4 ms to open.
    const gaps = times.map((t, i) => t - (i === 0 ? dropped : times[i - 1]) - 8);
    expect(gaps.slice(0, 8).map((g) => Math.round(g / 10) * 10)).toEqual([
      250, 500, 1000, 2000, 4000, 8000, 16000, 25000,
    ]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(25_000);
    expect(random).toHaveBeenCalled();
  });

  test('waits a random time between 0 and the backoff (full jitter)', async () => {
    const { socket } = await connect();
    jest.useFakeTimers();
    // The first attempt draws 0 (at once), the second 0.5 (half its 500 ms), then the longest.
    jest
      .spyOn(Math, 'random')
      .mockReturnValueOnce(0)
      .mockReturnValueOnce(0.5)
      .mockReturnValue(0.999999);
    const times: number[] = [];
    server.on('connection', (s) => {
      times.push(Date.now());
      s.close({ code: 1011, reason: 'still down', wasClean: true });
    });
    const dropped = Date.now();
    socket.close({ code: 1011, reason: 'down', wasClean: true });
    await jest.advanceTimersByTimeAsync(3_000);

    const gaps = times.map((t, i) => t - (i === 0 ? dropped : times[i - 1]) - 8);
    expect(gaps.slice(0, 3).map((g) => Math.round(g / 10) * 10)).toEqual([0, 250, 1000]);
  });

  test('a server at capacity (4013, "retry after N ms") is tried again no sooner than N ms, with jitter', async () => {
    const { client, socket } = await connect();
    jest.useFakeTimers();
    const random = jest.spyOn(Math, 'random').mockReturnValueOnce(0).mockReturnValueOnce(0.5);
    const times: number[] = [];
    server.on('connection', (s) => {
      times.push(Date.now());
      if (times.length === 1)
        s.close({ code: 4013, reason: 'server at capacity: retry after 3000 ms', wasClean: true });
    });
    const dropped = Date.now();
    socket.close({ code: 4013, reason: 'server at capacity: retry after 2000 ms', wasClean: true });
    await jest.advanceTimersByTimeAsync(1_990);
    expect(times).toEqual([]); // the server's 2 s, though the backoff alone would allow 0-250 ms
    await jest.advanceTimersByTimeAsync(100);
    expect(times).toHaveLength(1); // random() drew 0: the least wait is the server's delay
    // The next draw, 0.5, adds half the delay again: a crowd told the same delay spreads out.
    await jest.advanceTimersByTimeAsync(4_400);
    expect(times).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(200);
    expect(times).toHaveLength(2);
    const gaps = times.map((t, i) => t - (i === 0 ? dropped : times[i - 1]) - 8);
    expect(gaps.map((g) => Math.round(g / 10) * 10)).toEqual([2000, 4500]);
    expect(random).toHaveBeenCalledTimes(2);
    expect(client.userID).toBe('alice'); // a retry, not the end of the session
  });

  test('a close with 1000 from the server ends the session without reconnecting', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const { client, socket } = await connect();
    const pending = client.channel('messaging', 'general').watch();
    await nextFrame(server);
    let connections = 0;
    server.on('connection', () => connections++);
    socket.close({ code: 1000, reason: 'bye', wasClean: true });

    await expect(pending).rejects.toMatchObject({ code: 1000 });
    await jest.advanceTimersByTimeAsync(60_000);
    expect(connections).toBe(0);
    expect(client.userID).toBeUndefined();
  });
});

describe('token expiry (close 4002)', () => {
  /** The error frame the server sends before it closes an expired token's socket with 4002. */
  const expired = () =>
    valid({ type: 'error', code: 'token_expired', message: 'The token expired.' });

  test('with a token provider, connectUser asks it for the token', async () => {
    const client = new LocalChatClient({ wsUrl: URL });
    clients.push(client);
    const provider = jest.fn(async () => 'token-1');
    const socket = nextConnection(server);
    const connected = client.connectUser(alice, provider);
    expect(new globalThis.URL((await socket).url).searchParams.get('token')).toBe('token-1');
    server.send(healthCheck());
    await expect(connected).resolves.toMatchObject({ type: 'health.check' });
    expect(provider).toHaveBeenCalledTimes(1);
  });

  test('with a provider, it fetches a fresh token, reconnects with it and resends what is unanswered', async () => {
    const client = new LocalChatClient({ wsUrl: URL });
    clients.push(client);
    const tokens = ['token-1', 'token-2'];
    const provider = jest.fn(async () => tokens.shift()!);
    const first = nextConnection(server);
    const connected = client.connectUser(alice, provider);
    const socket = await first;
    server.send(healthCheck());
    await connected;
    const channel = await watchGeneral(client);
    const events = recordEvents(client);
    const sending = channel.sendMessage({ text: 'in flight', id: 'f1' });
    const inFlight = await nextFrame(server);

    const again = nextConnection(server);
    server.send(expired());
    socket.close({ code: 4002, reason: 'token expired', wasClean: true });
    const socket2 = await again;
    expect(new globalThis.URL(socket2.url).searchParams.get('token')).toBe('token-2');
    expect(provider).toHaveBeenCalledTimes(2);
    expect(events).toEqual(['offline']);

    server.send(healthCheck());
    const rewatch = await nextFrame(server);
    const resent = await nextFrame(server);
    expect(rewatch).toMatchObject({ type: 'channel.watch', messages: { id_gt: 'm1' } });
    expect(resent).toEqual(inFlight);
    server.send(messageSent(resent.request_id, message('f1', 'in flight', alice, 5)));
    await expect(sending).resolves.toMatchObject({ message: { id: 'f1' } });
    expect(client.userID).toBe('alice');
    expect(events).toEqual(['offline', 'online', 'health.check']);
  });

  test('a provider that fails is asked again after a backoff', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const client = new LocalChatClient({ wsUrl: URL });
    clients.push(client);
    const provider = jest
      .fn<Promise<string>, []>()
      .mockRejectedValueOnce(new Error('auth server down'))
      .mockResolvedValue('token-2');
    const socket = nextConnection(server);
    const connected = client.connectUser(alice, provider);
    await jest.advanceTimersByTimeAsync(300); // the first backoff is at most 250 ms
    expect(new globalThis.URL((await socket).url).searchParams.get('token')).toBe('token-2');
    server.send(healthCheck());
    await expect(connected).resolves.toMatchObject({ type: 'health.check' });
    expect(provider).toHaveBeenCalledTimes(2);
  });

  test('with a token string, it stops: connection.changed {online: false}, pending requests rejected, no reconnect', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    const { client, socket } = await connect();
    const changes: Event[] = [];
    client.on('connection.changed', (e) => changes.push(e));
    const pending = client.channel('messaging', 'general').watch();
    await nextFrame(server);
    let connections = 0;
    server.on('connection', () => connections++);
    server.send(expired());
    socket.close({ code: 4002, reason: 'token expired', wasClean: true });

    await expect(pending).rejects.toMatchObject({
      code: 4002,
      message: 'Closed (4002): token expired',
    });
    expect(changes).toEqual([{ type: 'connection.changed', online: false }]);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(connections).toBe(0);
    expect(client.userID).toBeUndefined();
  });

  test('a token string already expired at connect rejects connectUser with 4002', async () => {
    const client = new LocalChatClient({ wsUrl: URL });
    const socket = nextConnection(server);
    const connecting = client.connectUser(alice, 'expired');
    (await socket).close({ code: 4002, reason: 'token expired', wasClean: true });
    await expect(connecting).rejects.toMatchObject({ code: 4002 });
  });
});

describe('disconnectUser', () => {
  test('closes the socket with 1000, rejects pending requests and forgets the user and channels', async () => {
    const { client, socket } = await connect();
    const channel = await watchGeneral(client);
    const close = jest.spyOn(WebSocket.prototype, 'close');
    const pending = channel.sendMessage({ text: 'never answered' });
    await nextFrame(server);
    await client.disconnectUser();

    expect(close).toHaveBeenCalledWith(1000);
    await expect(pending).rejects.toMatchObject({ code: 1000 });
    expect(client.user).toBeUndefined();
    expect(client.userID).toBeUndefined();
    expect(client.activeChannels).toEqual({});
    expect(client.channel('messaging', 'general')).not.toBe(channel);
    expect(socket.readyState).not.toBe(WebSocket.OPEN);
  });

  test('stops reconnection for good', async () => {
    jest.useFakeTimers({ advanceTimers: true });
    // The first retry waits a jittered 0-250 ms; the fake clock steps 20 ms at a time, and a retry
    // due within the step that delivered the close fired before disconnectUser could run.
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const { client, socket } = await connect();
    let connections = 0;
    server.on('connection', () => connections++);
    const offline = nextEvent(client, 'connection.changed');
    socket.close({ code: 1011, reason: 'crash', wasClean: true });
    await offline;
    await client.disconnectUser();
    await jest.advanceTimersByTimeAsync(60_000);
    expect(connections).toBe(0);
  });

  test('lets another user connect afterwards', async () => {
    const { client } = await connect();
    await client.disconnectUser();
    const socket = nextConnection(server);
    const connected = client.connectUser({ id: 'bob' }, 'token-bob');
    expect(new globalThis.URL((await socket).url).searchParams.get('token')).toBe('token-bob');
    server.send(healthCheck({ id: 'bob', name: 'Bob' }));
    await expect(connected).resolves.toMatchObject({ me: { id: 'bob' } });
    expect(client.userID).toBe('bob');
  });
});

test('the mock server cannot send a frame the schema refuses', () => {
  const { mutes: _dropped, ...withoutMutes } = healthCheck().me ?? ownUser(alice);
  expect(() =>
    valid({ ...healthCheck(), me: withoutMutes } as unknown as HealthCheckEvent),
  ).toThrow(/must have required property 'mutes'/);
});
