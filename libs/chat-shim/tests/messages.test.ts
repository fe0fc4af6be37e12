/**
 * The calls of issue 8 against a mock Jatte server: the frame each one sends, what it resolves
 * with, and how each answer and event updates `channel.state` and `client.mutedUsers` the way
 * the SDK keeps them (edits, deletes and reactions in place; replies in threads; pins; mutes).
 */
import WS from 'jest-websocket-mock';

import type { Message } from '../frames';
import { LocalChatClient, type Event, type LocalChannel } from '../index';
import {
  CID,
  URL,
  alice,
  bob,
  banned,
  channelState,
  config,
  healthCheck,
  memberCapabilities,
  message,
  messageDeleted,
  messageNew,
  messageSent,
  messageUpdated,
  mute,
  mutesUpdated,
  nextConnection,
  nextFrame,
  ok,
  reaction,
  reactionEvent,
  replies,
  reply,
  unbanned,
  type Received,
} from './fixtures';

let server: WS;
let client: LocalChatClient;

beforeEach(async () => {
  server = new WS(URL, { jsonProtocol: true });
  client = new LocalChatClient({ wsUrl: URL });
  const socket = nextConnection(server);
  const connected = client.connectUser(alice, 'token-alice');
  await socket;
  server.send(healthCheck(alice, undefined, [mute(bob)]));
  await connected;
});

afterEach(async () => {
  await client.disconnectUser();
  WS.clean();
});

/** messaging:general, watched, holding `messages` (and `pinned` as its pinned_messages). */
async function watchGeneral(messages: Message[], pinned: Message[] = []): Promise<LocalChannel> {
  const channel = client.channel('messaging', 'general');
  const watched = channel.watch();
  server.send(channelState((await nextFrame(server)).request_id, messages, 1, pinned));
  await watched;
  return channel;
}

/** Makes the request `call` makes; returns the frame the server received and the answer's promise
 * (left unanswered, disconnectUser rejects it: that is handled here, not an unhandled rejection). */
async function sent<T>(call: () => Promise<T>): Promise<[Received, Promise<T>]> {
  const answer = call();
  answer.catch(() => undefined);
  return [await nextFrame(server), answer];
}

const ids = (messages: Message[] | undefined) => messages?.map((m) => m.id);

const hello = message('m1', 'hello', alice, 1);
const later = message('m2', 'later', bob, 3);

describe('requests: the frame each call sends and what it resolves with', () => {
  test('client.updateMessage sends message.update and resolves with the message.updated answer', async () => {
    await watchGeneral([hello]);
    const [frame, updating] = await sent(() =>
      client.updateMessage({ id: 'm1', text: 'hello!', mentioned_users: ['bob'] }),
    );
    expect(frame).toEqual({
      type: 'message.update',
      request_id: expect.any(String),
      message: { id: 'm1', text: 'hello!', mentioned_users: ['bob'] },
    });
    const edited = { ...hello, text: 'hello!', updated_at: '2026-11-25T20:05:00.000Z' };
    server.send(messageUpdated(edited, alice, frame.request_id));
    await expect(updating).resolves.toMatchObject({ message: { id: 'm1', text: 'hello!' } });
  });

  test('client.deleteMessage sends message.delete, with hard only when asked', async () => {
    await watchGeneral([hello]);
    const [soft, softly] = await sent(() => client.deleteMessage('m1'));
    expect(soft).toEqual({ type: 'message.delete', request_id: expect.any(String), id: 'm1' });
    server.send(messageDeleted(hello, false, soft.request_id));
    await expect(softly).resolves.toMatchObject({ message: { id: 'm1', type: 'deleted' } });

    const [hard] = await sent(() => client.deleteMessage('m1', { hardDelete: true }));
    expect(hard).toMatchObject({ type: 'message.delete', id: 'm1', hard: true });
  });

  test('channel.sendReaction sends reaction.send and resolves with {message, reaction}', async () => {
    await watchGeneral([hello]);
    const [frame, reacting] = await sent(() =>
      client
        .channel('messaging', 'general')
        .sendReaction('m1', { type: 'like', score: 2 }, { enforce_unique: true }),
    );
    expect(frame).toEqual({
      type: 'reaction.send',
      request_id: expect.any(String),
      message_id: 'm1',
      reaction: { type: 'like', score: 2 },
      enforce_unique: true,
    });
    const mine = reaction('m1', 'like', alice, 2);
    const after = {
      ...hello,
      reaction_counts: { like: 1 },
      own_reactions: [mine],
      latest_reactions: [mine],
    };
    server.send(reactionEvent('reaction.new', after, mine, frame.request_id));
    await expect(reacting).resolves.toMatchObject({
      message: { id: 'm1' },
      reaction: { type: 'like' },
    });
  });

  test('channel.deleteReaction sends reaction.delete with the type', async () => {
    const channel = await watchGeneral([hello]);
    const [frame] = await sent(() => channel.deleteReaction('m1', 'like'));
    expect(frame).toEqual({
      type: 'reaction.delete',
      request_id: expect.any(String),
      message_id: 'm1',
      reaction_type: 'like',
    });
  });

  test('channel.getReplies sends message.get_replies with the page and resolves with {messages}', async () => {
    const channel = await watchGeneral([hello]);
    const [frame, reading] = await sent(() => channel.getReplies('m1', { limit: 10, id_lt: 'r9' }));
    expect(frame).toEqual({
      type: 'message.get_replies',
      request_id: expect.any(String),
      parent_id: 'm1',
      limit: 10,
      id_lt: 'r9',
    });
    server.send(replies(frame.request_id, 'm1', [reply('r1', 'm1', 'first')]));
    await expect(reading).resolves.toMatchObject({ messages: [{ id: 'r1', parent_id: 'm1' }] });
  });

  test('client.pinMessage and unpinMessage send message.pin with pinned true / false', async () => {
    await watchGeneral([hello]);
    const [pin] = await sent(() => client.pinMessage('m1', '2026-12-01T00:00:00Z'));
    expect(pin).toEqual({
      type: 'message.pin',
      request_id: expect.any(String),
      id: 'm1',
      pinned: true,
      pin_expires: '2026-12-01T00:00:00Z',
    });
    const [unpin] = await sent(() => client.unpinMessage('m1'));
    expect(unpin).toEqual({
      type: 'message.pin',
      request_id: expect.any(String),
      id: 'm1',
      pinned: false,
    });
  });

  test('client.flagMessage sends message.flag with the reason and resolves with ok', async () => {
    const [frame, flagging] = await sent(() => client.flagMessage('m1', { reason: 'spam' }));
    expect(frame).toEqual({
      type: 'message.flag',
      request_id: expect.any(String),
      id: 'm1',
      reason: 'spam',
    });
    server.send(ok(frame.request_id));
    await expect(flagging).resolves.toEqual({ type: 'ok', request_id: frame.request_id });
  });

  test("client.muteUser takes Stream's (target, userID?, {timeout}) and sends user.mute", async () => {
    const [frame, muting] = await sent(() => client.muteUser('carol', undefined, { timeout: 60 }));
    expect(frame).toEqual({
      type: 'user.mute',
      request_id: expect.any(String),
      target_id: 'carol',
      timeout: 60,
    });
    const carol = { id: 'carol', name: 'Carol' };
    server.send(mutesUpdated([mute(bob), mute(carol)], frame.request_id));
    await expect(muting).resolves.toMatchObject({ type: 'notification.mutes_updated' });
    expect(client.mutedUsers.map((m) => m.target.id)).toEqual(['bob', 'carol']);

    const [unmute] = await sent(() => client.unmuteUser('carol'));
    expect(unmute).toEqual({
      type: 'user.unmute',
      request_id: expect.any(String),
      target_id: 'carol',
    });
  });

  test('channel.banUser sends user.ban with the cid; client.banUser bans app-wide, without one', async () => {
    const channel = await watchGeneral([hello]);
    const [inChannel, banning] = await sent(() =>
      channel.banUser('bob', { timeout: 60, reason: 'spam' }),
    );
    expect(inChannel).toEqual({
      type: 'user.ban',
      request_id: expect.any(String),
      cid: CID,
      target_id: 'bob',
      timeout: 60,
      reason: 'spam',
    });
    server.send(banned(bob, inChannel.request_id));
    await expect(banning).resolves.toMatchObject({ type: 'user.banned', user: { id: 'bob' } });

    const [appWide] = await sent(() => client.banUser('bob', { reason: 'spam' }));
    expect(appWide).toEqual({
      type: 'user.ban',
      request_id: expect.any(String),
      target_id: 'bob',
      reason: 'spam',
    });
  });

  test('unbanUser sends user.unban, with the cid on a channel', async () => {
    const channel = await watchGeneral([hello]);
    const [inChannel] = await sent(() => channel.unbanUser('bob'));
    expect(inChannel).toEqual({
      type: 'user.unban',
      request_id: expect.any(String),
      cid: CID,
      target_id: 'bob',
    });
    const [appWide] = await sent(() => client.unbanUser('bob'));
    expect(appWide).toEqual({
      type: 'user.unban',
      request_id: expect.any(String),
      target_id: 'bob',
    });
  });

  test('sendMessage carries a reply, a quote, mentions and attachments', async () => {
    const channel = await watchGeneral([hello]);
    const [frame] = await sent(() =>
      channel.sendMessage({
        text: 'see @bob',
        parent_id: 'm1',
        show_in_channel: true,
        quoted_message_id: 'm1',
        mentioned_users: ['bob'],
        attachments: [{ type: 'image', image_url: '/files/cat.png' }],
      }),
    );
    expect(frame).toEqual({
      type: 'message.new',
      request_id: expect.any(String),
      cid: CID,
      id: expect.stringMatching(/^[A-Za-z0-9_-]{1,255}$/),
      text: 'see @bob',
      parent_id: 'm1',
      show_in_channel: true,
      quoted_message_id: 'm1',
      mentioned_users: ['bob'],
      attachments: [{ type: 'image', image_url: '/files/cat.png' }],
    });
  });

  test('channel.stopWatching sends channel.stop_watching', async () => {
    const channel = await watchGeneral([hello]);
    const [frame, stopping] = await sent(() => channel.stopWatching());
    expect(frame).toEqual({
      type: 'channel.stop_watching',
      request_id: expect.any(String),
      cid: CID,
    });
    server.send(ok(frame.request_id));
    await expect(stopping).resolves.toMatchObject({ type: 'ok' });
  });
});

describe('channel.state answers', () => {
  test('fill channel.data with own_capabilities and config, and pinnedMessages', async () => {
    const pinned = { ...message('m0', 'rules', alice, 0), pinned: true };
    const channel = await watchGeneral([hello], [pinned]);
    expect(channel.data).toMatchObject({
      name: 'General',
      own_capabilities: memberCapabilities,
      config,
    });
    expect(ids(channel.state.pinnedMessages)).toEqual(['m0']);
    // A pinned message older than the page is a pin, not a message of the list.
    expect(ids(channel.state.messages)).toEqual(['m1']);
  });
});

describe('edits, deletes and reactions replace the message in place', () => {
  test('message.updated from another user replaces the message where it is, before listeners run', async () => {
    const channel = await watchGeneral([hello, later]);
    const seen: (string | undefined)[] = [];
    channel.on('message.updated', () => seen.push(channel.state.messages[1]?.text));
    server.send(messageUpdated({ ...later, text: 'later, edited' }, bob));
    expect(ids(channel.state.messages)).toEqual(['m1', 'm2']);
    expect(channel.state.messages[1]).toMatchObject({ id: 'm2', text: 'later, edited' });
    expect(seen).toEqual(['later, edited']);
  });

  test('message.updated of a message not held adds nothing', async () => {
    const channel = await watchGeneral([later]);
    server.send(
      messageUpdated({ ...message('old', 'from last year', bob, 0), text: 'edited' }, bob),
    );
    expect(ids(channel.state.messages)).toEqual(['m2']);
  });

  test('a soft delete keeps the id and place with type deleted and no text', async () => {
    const channel = await watchGeneral([hello, later]);
    server.send(messageDeleted(hello));
    expect(ids(channel.state.messages)).toEqual(['m1', 'm2']);
    expect(channel.state.messages[0]).toMatchObject({ id: 'm1', type: 'deleted', text: '' });
  });

  test('a hard delete removes the message from the list, its thread and the pins', async () => {
    const pinnedReply = { ...reply('r1', 'm1', 'in thread'), pinned: true };
    const channel = await watchGeneral([hello, later], [pinnedReply]);
    server.send(messageNew(pinnedReply));
    expect(ids(channel.state.threads.m1)).toEqual(['r1']);
    server.send(messageDeleted(later, true));
    server.send(messageDeleted(pinnedReply, true));
    expect(ids(channel.state.messages)).toEqual(['m1']);
    expect(channel.state.threads.m1).toEqual([]);
    expect(channel.state.pinnedMessages).toEqual([]);
  });

  test("a reaction from someone else updates the counts and keeps the user's own_reactions", async () => {
    const mine = reaction('m1', 'like', alice);
    const channel = await watchGeneral([
      { ...hello, own_reactions: [mine], reaction_counts: { like: 1 } },
    ]);
    const theirs = reaction('m1', 'love', bob);
    // A fan-out copy is serialised once for every watcher: its own_reactions are nobody's.
    const after = {
      ...hello,
      reaction_counts: { like: 1, love: 1 },
      latest_reactions: [theirs, mine],
    };
    server.send(reactionEvent('reaction.new', after, theirs));
    expect(channel.state.messages[0]).toMatchObject({
      reaction_counts: { like: 1, love: 1 },
      latest_reactions: [theirs, mine],
      own_reactions: [mine],
    });
  });

  test("the answer to the user's own reaction brings their own_reactions", async () => {
    const channel = await watchGeneral([hello]);
    const [frame, reacting] = await sent(() => channel.sendReaction('m1', { type: 'like' }));
    const mine = reaction('m1', 'like', alice);
    const after = {
      ...hello,
      reaction_counts: { like: 1 },
      own_reactions: [mine],
      latest_reactions: [mine],
    };
    server.send(reactionEvent('reaction.new', after, mine, frame.request_id));
    await reacting;
    expect(channel.state.messages[0]).toMatchObject({
      own_reactions: [mine],
      reaction_counts: { like: 1 },
    });

    const [removal, removing] = await sent(() => channel.deleteReaction('m1', 'like'));
    const cleared = { ...hello, reaction_counts: {}, own_reactions: [], latest_reactions: [] };
    server.send(reactionEvent('reaction.deleted', cleared, mine, removal.request_id));
    await removing;
    expect(channel.state.messages[0]).toMatchObject({ own_reactions: [], reaction_counts: {} });
  });

  test('reaction.updated replaces the message too', async () => {
    const channel = await watchGeneral([hello]);
    const theirs = reaction('m1', 'like', bob, 3);
    server.send(
      reactionEvent('reaction.updated', { ...hello, reaction_scores: { like: 3 } }, theirs),
    );
    expect(channel.state.messages[0]?.reaction_scores).toEqual({ like: 3 });
  });
});

describe('threads', () => {
  test('a reply goes to its thread, not to the channel list; its parent gets the new reply_count', async () => {
    const channel = await watchGeneral([hello]);
    const events: string[] = [];
    client.on((e: Event) => events.push(e.type));
    server.send(messageNew(reply('r1', 'm1', 'a reply')));
    server.send(messageUpdated({ ...hello, reply_count: 1, thread_participants: [bob] }, bob));

    expect(ids(channel.state.messages)).toEqual(['m1']);
    expect(ids(channel.state.threads.m1)).toEqual(['r1']);
    expect(channel.state.messages[0]).toMatchObject({ reply_count: 1, thread_participants: [bob] });
    expect(events).toEqual(['message.new', 'message.updated']);
  });

  test('a reply shown in the channel is in both', async () => {
    const channel = await watchGeneral([hello]);
    server.send(messageNew(reply('r1', 'm1', 'for everyone', bob, 2, true)));
    expect(ids(channel.state.messages)).toEqual(['m1', 'r1']);
    expect(ids(channel.state.threads.m1)).toEqual(['r1']);
  });

  test('getReplies fills the thread oldest first, merging what it holds', async () => {
    const channel = await watchGeneral([hello]);
    server.send(messageNew(reply('r3', 'm1', 'newest', bob, 30)));
    const [frame, reading] = await sent(() => channel.getReplies('m1'));
    expect(frame).toEqual({
      type: 'message.get_replies',
      request_id: expect.any(String),
      parent_id: 'm1',
    });
    server.send(
      replies(frame.request_id, 'm1', [
        reply('r1', 'm1', 'first', alice, 10),
        reply('r2', 'm1', 'second', bob, 20),
      ]),
    );
    await reading;
    expect(ids(channel.state.threads.m1)).toEqual(['r1', 'r2', 'r3']);
    expect(ids(channel.state.messages)).toEqual(['m1']);
  });

  test('an edit of a reply updates it in its thread', async () => {
    const channel = await watchGeneral([hello]);
    const r1 = reply('r1', 'm1', 'typo');
    server.send(messageNew(r1));
    server.send(messageUpdated({ ...r1, text: 'fixed' }));
    expect(channel.state.threads.m1?.[0]).toMatchObject({ id: 'r1', text: 'fixed' });
  });

  test('the own answer to a reply (message.sent) goes to the thread', async () => {
    const channel = await watchGeneral([hello]);
    const [frame, sending] = await sent(() =>
      channel.sendMessage({ text: 'mine', parent_id: 'm1', id: 'r9' }),
    );
    server.send(messageSent(frame.request_id, reply('r9', 'm1', 'mine', alice, 9)));
    await sending;
    expect(ids(channel.state.threads.m1)).toEqual(['r9']);
    expect(ids(channel.state.messages)).toEqual(['m1']);
  });
});

describe('pins', () => {
  test('pinnedMessages follows message.updated: pinned in, unpinned out', async () => {
    const channel = await watchGeneral([hello, later]);
    const pinned = {
      ...later,
      pinned: true,
      pinned_at: '2026-11-25T20:10:00.000Z',
      pinned_by: alice,
    };
    server.send(messageUpdated(pinned, alice));
    expect(ids(channel.state.pinnedMessages)).toEqual(['m2']);
    expect(channel.state.messages[1]).toMatchObject({ pinned: true, pinned_by: alice });

    server.send(messageUpdated({ ...later, pinned: false }, alice));
    expect(channel.state.pinnedMessages).toEqual([]);
  });

  test('the answer to client.pinMessage pins it in state', async () => {
    const channel = await watchGeneral([hello]);
    const [frame, pinning] = await sent(() => client.pinMessage('m1'));
    server.send(messageUpdated({ ...hello, pinned: true }, alice, frame.request_id));
    await expect(pinning).resolves.toMatchObject({ message: { pinned: true } });
    expect(ids(channel.state.pinnedMessages)).toEqual(['m1']);
  });
});

describe('mutes and bans', () => {
  test("client.mutedUsers starts as the first health.check's me.mutes", () => {
    expect(client.mutedUsers).toEqual([mute(bob)]);
  });

  test("notification.mutes_updated from another of the user's sockets replaces client.mutedUsers", () => {
    const seen: number[] = [];
    client.on('notification.mutes_updated', () => seen.push(client.mutedUsers.length));
    server.send(mutesUpdated([]));
    expect(client.mutedUsers).toEqual([]);
    expect(seen).toEqual([0]);
  });

  test('user.banned and user.unbanned reach channel and client listeners', async () => {
    const channel = await watchGeneral([hello]);
    const [onChannel, onClient] = [jest.fn(), jest.fn()];
    channel.on('user.banned', onChannel);
    client.on((e) => e.type.startsWith('user.') && onClient(e.type));
    server.send(banned(bob));
    server.send(unbanned(bob));
    expect(onChannel).toHaveBeenCalledWith(
      expect.objectContaining({ user: bob, reason: 'spam', cid: CID }),
    );
    expect(onClient.mock.calls).toEqual([['user.banned'], ['user.unbanned']]);
  });

  test('an app-wide ban (no cid) reaches client listeners', async () => {
    const onClient = jest.fn();
    client.on('user.banned', onClient);
    server.send(banned(alice, undefined, false));
    expect(onClient).toHaveBeenCalledWith(
      expect.objectContaining({ type: 'user.banned', user: alice }),
    );
  });
});

describe('ordering: created_at to the microsecond', () => {
  /** A message created at the ISO time `t` (the server's UTC times, with or without a fraction). */
  const stamped = (id: string, t: string): Message => ({
    ...message(id, id),
    created_at: t,
    updated_at: t,
  });

  test('two messages of a batch 1 µs apart sort right, whichever arrives first', async () => {
    // Date.parse gives both the same millisecond: only the microseconds tell them apart.
    const first = stamped('b1', '2026-12-01T21:33:50.802536Z');
    const second = stamped('b2', '2026-12-01T21:33:50.802537Z');
    expect(Date.parse(first.created_at)).toBe(Date.parse(second.created_at));
    const channel = await watchGeneral([second]);
    server.send(messageNew(first));
    expect(ids(channel.state.messages)).toEqual(['b1', 'b2']);

    // A thread's replies too, arriving newest first.
    const later = { ...reply('r2', 'b1', 'two'), created_at: '2026-12-01T21:33:51.000002Z' };
    const earlier = { ...reply('r1', 'b1', 'one'), created_at: '2026-12-01T21:33:51.000001Z' };
    server.send(messageNew(later));
    server.send(messageNew(earlier));
    expect(ids(channel.state.threads.b1)).toEqual(['r1', 'r2']);
  });

  test('a whole second (no fraction) sorts before its fractions; milliseconds sort with microseconds', async () => {
    // As strings, "50Z" sorts after "50.000001Z" ('.' < 'Z'); as times it is before.
    const whole = stamped('w', '2026-12-01T21:33:50Z');
    const justAfter = stamped('a', '2026-12-01T21:33:50.000001Z');
    const justBefore = stamped('b', '2026-12-01T21:33:49.999999Z');
    const millis = stamped('ms', '2026-12-01T21:33:50.123Z'); // imported history
    const beforeMillis = stamped('u', '2026-12-01T21:33:50.122999Z');
    const channel = await watchGeneral([millis, justAfter, whole, beforeMillis, justBefore]);
    expect(ids(channel.state.messages)).toEqual(['b', 'w', 'a', 'u', 'ms']);
  });
});
