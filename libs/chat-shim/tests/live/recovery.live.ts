/**
 * Drives the real shim against a real backend for backend/tests/test_recovery.py ("no lost
 * messages", issue 5): two clients watch one channel and send COUNT messages each at a steady pace,
 * without waiting for acks, while the test kills the server or cuts the network under them.
 *
 * Run: `node_modules/.bin/tsx libs/chat-shim/tests/live/recovery.live.ts` with JATTE_WS_URL,
 * ALICE_TOKEN, BOB_TOKEN, and optionally ALICE_TOKENS (alice then uses a token provider), BOB_WS_URL (bob's backend), RECOVERY_CID, RECOVERY_COUNT, RECOVERY_INTERVAL_MS,
 * RECOVERY_RUN (an id prefix), RECOVERY_DEADLINE_MS in the environment. Prints one JSON line per
 * event ({"event":"ready"}, {"event":"acked","n":N} every 10 acks, "offline", "online",
 * "recovered", ...) and last {"event":"done","clients":{"alice":{sent,acked,held,...},"bob":{...}}}.
 * Not a Jest test (Jest runs tests/**\/*.test.ts only); `npm run typecheck` checks it.
 */
import { WebSocket as NodeWebSocket } from 'ws';
import type { ServerFrame } from '../../frames';
import { LocalChatClient } from '../../index';
import type { LocalChannel } from '../../index';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const wsUrl = env('JATTE_WS_URL');
const bobWsUrl = env('BOB_WS_URL', wsUrl); // bob may talk to another backend process
const cid = env('RECOVERY_CID', 'messaging:chaos');
const count = Number(env('RECOVERY_COUNT', '250'));
const interval = Number(env('RECOVERY_INTERVAL_MS', '15'));
const run = env('RECOVERY_RUN', 'run');
const deadline = Date.now() + Number(env('RECOVERY_DEADLINE_MS', '45000'));

/** One user's client, channel, and what happened to it. */
interface Driven {
  name: string;
  client: LocalChatClient;
  channel: LocalChannel;
  sent: string[];
  acked: (string | null)[];
  failed: string[];
  /** Sends written to a socket that then closed, answered after the reconnect (the shim resent them). */
  resent: number;
  /** Answers with duplicate: true (a resent message the server had stored before its ack was lost). */
  duplicates: number;
  /** Messages a re-watch's channel.state brought that the client did not hold (events it missed). */
  recovered: number;
  online: boolean;
  outages: number;
  recoveries: number;
}

const driven: Record<string, Driven> = {};

// Node 20 has no global WebSocket. ws emits 'error' (a refused connect while the server is down)
// and would crash the process without a listener; the shim sets only onmessage and onclose, and
// the close that follows every error is what it reconnects on. The socket also reads the wire
// (before the shim does) to count what each re-watch brought that the client was missing.
class ObservedWebSocket extends NodeWebSocket {
  constructor(url: string) {
    super(url);
    this.on('error', () => undefined);
    let user = '';
    this.on('message', (data) => {
      const frame = JSON.parse(String(data)) as ServerFrame;
      if (frame.type === 'health.check' && !user) user = frame.me?.id ?? '';
      const d = driven[user];
      if (frame.type !== 'channel.state' || !d) return; // d is unset until the first watch is answered
      const held = new Set(d.channel.state.messages.map((m) => m.id));
      d.recovered += frame.messages.filter((m) => !held.has(m.id)).length;
    });
  }
}
(globalThis as { WebSocket?: unknown }).WebSocket = ObservedWebSocket;

// Resolves once written: stdout to a pipe is asynchronous, and process.exit would cut it short.
const print = (line: object) =>
  new Promise<void>((resolve) =>
    process.stdout.write(`${JSON.stringify(line)}\n`, () => resolve()),
  );
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let acks = 0; // answered sends of both clients
// With ALICE_TOKENS (comma-separated), alice connects with a token provider that hands them out in
// turn, as an app's provider fetches a fresh token once the server says the last one expired.
const aliceTokens = process.env.ALICE_TOKENS?.split(',');
const tokensUsed: Record<string, number> = {};
const providerOf = (tokens: string[], name: string) => () => {
  const n = (tokensUsed[name] = (tokensUsed[name] ?? 0) + 1);
  return Promise.resolve(tokens[Math.min(n, tokens.length) - 1] ?? '');
};

async function open(name: string, token: string, members: string[], url = wsUrl): Promise<Driven> {
  const client = new LocalChatClient({ wsUrl: url });
  await client.connectUser(
    { id: name, name },
    name === 'alice' && aliceTokens ? providerOf(aliceTokens, name) : token,
  );
  const [type, id] = cid.split(':') as [string, string];
  const channel = client.channel(type, id, { members });
  await channel.watch({ messages: { limit: 300 } });
  const d: Driven = (driven[name] = {
    name,
    client,
    channel,
    sent: [],
    acked: [],
    failed: [],
    resent: 0,
    duplicates: 0,
    recovered: 0,
    online: true,
    outages: 0,
    recoveries: 0,
  });
  client.on('connection.changed', (e) => {
    d.online = Boolean(e.online);
    if (!e.online) d.outages += 1;
    void print({ event: e.online ? 'online' : 'offline', client: name, outages: d.outages, acks });
  });
  client.on('connection.recovered', () => {
    d.recoveries += 1;
    void print({ event: 'recovered', client: name, recoveries: d.recoveries });
  });
  return d;
}

/** Sends `count` messages, one every `interval` ms, keeping each ack's message id in send order. */
async function send(d: Driven): Promise<void> {
  const answers: Promise<void>[] = [];
  for (let n = 0; n < count; n += 1) {
    const id = `${run}-${d.name}-${String(n).padStart(4, '0')}`;
    d.sent.push(id);
    d.acked.push(null);
    const epoch = d.online ? d.outages : -1;
    answers.push(
      d.channel.sendMessage({ text: `${d.name} #${n}`, id }).then(
        (sent) => {
          d.acked[n] = sent.message.id;
          if (epoch >= 0 && d.outages > epoch) d.resent += 1;
          if (sent.duplicate) d.duplicates += 1;
          acks += 1;
          if (acks % 10 === 0) void print({ event: 'acked', n: acks });
        },
        (error: Error) => {
          d.failed.push(`${id}: ${error.message}`);
        },
      ),
    );
    await sleep(interval);
  }
  await Promise.race([Promise.all(answers), sleep(Math.max(0, deadline - Date.now()))]);
}

/** Online, re-watched after its last outage, and holding every message acked to either client. */
function settled(d: Driven, everyAcked: Set<string>): boolean {
  if (!d.online || d.recoveries < d.outages) return false;
  const held = new Set(d.channel.state.messages.map((m) => m.id));
  return [...everyAcked].every((id) => held.has(id));
}

async function main(): Promise<void> {
  const alice = await open('alice', env('ALICE_TOKEN'), ['bob']);
  const bob = await open('bob', env('BOB_TOKEN'), [], bobWsUrl);
  void print({ event: 'ready' });
  const started = Date.now();
  await Promise.all([send(alice), send(bob)]);
  void print({ event: 'all-answered', acks, ms: Date.now() - started });
  const everyAcked = new Set(
    [...alice.acked, ...bob.acked].filter((id): id is string => id !== null),
  );
  // Events for the last acks are still on their way to the other client; a client that lost its
  // socket late still has to reconnect and re-watch. Wait for both (or the deadline), then report.
  while (Date.now() < deadline && !(settled(alice, everyAcked) && settled(bob, everyAcked)))
    await sleep(50);
  const report = ({ client: _client, channel, ...d }: Driven) => ({
    ...d,
    tokens_used: tokensUsed[d.name] ?? 0,
    held: channel.state.messages.map((m) => m.id),
    held_created_at: channel.state.messages.map((m) => m.created_at),
  });
  await print({
    event: 'done',
    ms: Date.now() - started,
    clients: { alice: report(alice), bob: report(bob) },
  });
  await Promise.all([alice.client.disconnectUser(), bob.client.disconnectUser()]);
}

main().then(
  () => process.exit(0),
  (error: unknown) =>
    print({
      event: 'crashed',
      error: String(error instanceof Error ? (error.stack ?? error) : error),
    }).then(() => process.exit(1)),
);
