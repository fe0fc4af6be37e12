/**
 * Many real shim clients in one Node process, for the reconnect storm (issue 12):
 * backend/tests/storm.py drives it for backend/tests/test_storm.py and tools/bench/scenarios/storm.py.
 * Each client connects as its user and watches its channels; then, on commands read from stdin
 * (one JSON line each), they send, the test kills and restarts the server under them, and every
 * client reconnects with the shim's own backoff and re-watches its channels.
 *
 * Run: `node_modules/.bin/tsx libs/chat-shim/tests/live/storm.live.ts` with JATTE_WS_URL and
 * STORM_USERS (a JSON file: [{id, token, cids}]), optionally STORM_PARALLEL (connects at once,
 * 100) and STORM_MESSAGES (the watch's page, 50). Prints {"event":"ready"} once every client
 * watches; then per command:
 *   {"cmd":"send","tag":T,"wait":true|false}: each client sends one message `T-<user>` to its
 *     first channel; with wait, {"event":"sent"} once all are answered, else {"event":"sending"}
 *     once they are written;
 *   {"cmd":"report","within_ms":N}: once every client has lost its socket, got it back and re-watched
 *     (connection.recovered) and every send is answered (or after N ms), {"event":"done","clients":
 *     [{id, outages, recoveries, recovered_at, sent, acked, failed, duplicates, held: {cid: ids}}],
 *     refusals} (refusals: closes with 4013).
 * Times are epoch milliseconds. Not a Jest test; `npm run typecheck` checks it.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { WebSocket as NodeWebSocket } from 'ws';
import { LocalChatClient } from '../../index';
import type { LocalChannel } from '../../index';

const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
type User = { id: string; token: string; cids: string[] };
const users = JSON.parse(readFileSync(env('STORM_USERS'), 'utf8')) as User[];
const wsUrl = env('JATTE_WS_URL');
const parallel = Number(env('STORM_PARALLEL', '100'));
const limit = Number(env('STORM_MESSAGES', '50'));

/** One user's client and what happened to it. */
interface Driven {
  user: User;
  client: LocalChatClient;
  channels: LocalChannel[];
  outages: number;
  recoveries: number;
  recovered_at: number;
  sent: string[];
  acked: string[];
  failed: string[];
  duplicates: number;
  settling: Promise<unknown>[];
}

// Node 20 has no global WebSocket. ws emits 'error' (a refused connect while the server is down)
// and would crash the process without a listener; the close that follows is what the shim reads.
// No compression, as in every other benchmark scenario.
class QuietWebSocket extends NodeWebSocket {
  constructor(url: string) {
    super(url, { perMessageDeflate: false });
    this.on('error', () => undefined);
    this.on('close', (code) => code === 4013 && (refusals += 1));
  }
}
let refusals = 0; // closes with 4013: the server at capacity said when to come back
(globalThis as { WebSocket?: unknown }).WebSocket = QuietWebSocket;

const print = (line: object) =>
  new Promise<void>((resolve) =>
    process.stdout.write(`${JSON.stringify(line)}\n`, () => resolve()),
  );
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function open(user: User): Promise<Driven> {
  const client = new LocalChatClient({ wsUrl });
  await client.connectUser({ id: user.id, name: user.id }, user.token);
  const channels = user.cids.map((cid) => {
    const [type, id] = cid.split(':') as [string, string];
    return client.channel(type, id);
  });
  await Promise.all(channels.map((c) => c.watch({ messages: { limit } })));
  const d: Driven = {
    user,
    client,
    channels,
    outages: 0,
    recoveries: 0,
    recovered_at: 0,
    sent: [],
    acked: [],
    failed: [],
    duplicates: 0,
    settling: [],
  };
  client.on('connection.changed', (e) => {
    if (!e.online) d.outages += 1;
  });
  client.on('connection.recovered', () => {
    d.recoveries += 1;
    d.recovered_at = Date.now();
  });
  return d;
}

/** Runs `work` over `items`, `parallel` at a time. */
async function pooled<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const n = next++;
      results[n] = await work(items[n] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, lane));
  return results;
}

function send(d: Driven, tag: string): Promise<unknown> {
  const id = `${tag}-${d.user.id}`;
  d.sent.push(id);
  const answered = (d.channels[0] as LocalChannel).sendMessage({ text: `storm ${tag}`, id }).then(
    (answer) => {
      d.acked.push(answer.message.id);
      if (answer.duplicate) d.duplicates += 1;
    },
    (error: unknown) => d.failed.push(`${id}: ${String(error)}`),
  );
  d.settling.push(answered);
  return answered;
}

function report(d: Driven) {
  const held = Object.fromEntries(
    d.channels.map((c) => [c.cid, c.state.messages.map((m) => m.id)]),
  );
  const { outages, recoveries, recovered_at, sent, acked, failed, duplicates } = d;
  return {
    id: d.user.id,
    outages,
    recoveries,
    recovered_at,
    sent,
    acked,
    failed,
    duplicates,
    held,
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const driven = await pooled(users, open);
  await print({ event: 'ready', clients: driven.length, seconds: (Date.now() - started) / 1000 });
  for await (const line of createInterface({ input: process.stdin })) {
    const command = JSON.parse(line) as {
      cmd: string;
      tag?: string;
      wait?: boolean;
      within_ms?: number;
    };
    if (command.cmd === 'send') {
      const answers = driven.map((d) => send(d, command.tag ?? 'm'));
      if (command.wait) await Promise.all(answers);
      await print({ event: command.wait ? 'sent' : 'sending' });
    } else if (command.cmd === 'report') {
      const deadline = Date.now() + (command.within_ms ?? 60_000);
      const back = (d: Driven) => d.outages >= 1 && d.recoveries >= d.outages;
      while (Date.now() < deadline && !driven.every(back)) await sleep(50);
      const settled = Promise.allSettled(driven.flatMap((d) => d.settling));
      await Promise.race([settled, sleep(Math.max(0, deadline - Date.now()))]);
      await sleep(500); // the last fan-outs of resent messages
      await print({ event: 'done', refusals, clients: driven.map(report) });
      for (const d of driven) await d.client.disconnectUser();
      process.exit(0);
    }
  }
}

main().catch(async (error: unknown) => {
  await print({ event: 'crashed', error: String(error instanceof Error ? error.stack : error) });
  process.exit(1);
});
