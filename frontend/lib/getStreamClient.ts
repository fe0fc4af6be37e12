/**
 * The one gateway to a chat client, and the only file allowed to import `stream-chat`
 * (`tools/dev scan` fails on any other).
 *
 * - Local build (NEXT_PUBLIC_STREAM_KEY unset, the default): Jatte's LocalChatClient from
 *   libs/chat-shim, talking to our own backend over one WebSocket.
 * - Stream build (NEXT_PUBLIC_STREAM_KEY=<api key> at `next build` time): the real SDK's
 *   `StreamChat.getInstance(key)`, talking to Stream's cloud.
 *
 * How the local build ships no Stream SDK code and no Stream host name, two locks deep:
 * 1. next.config.ts always defines NEXT_PUBLIC_STREAM_KEY (as "" when unset). Next inlines it, so the
 *    test below reads `if ("")` and the SDK branch, dynamic import included, is dropped before
 *    bundling. (An undefined NEXT_PUBLIC_* is NOT inlined: it stays a run-time lookup and the SDK
 *    chunk is emitted. That is why the config defines it.)
 * 2. In the local build next.config.ts also aliases the package `stream-chat` to the shim (the
 *    seed's alias, for the bundler only), so even a branch that survived would bundle the shim.
 * Type-checking sees the real package (frontend/tsconfig.json has no `stream-chat` path alias), so
 * the Stream branch is checked against Stream's own declarations. `frontend/tests` proves lock 1+2
 * on the built output, and that a Stream build does contain the SDK.
 */
import { type LocalChannel, LocalChatClient } from '@jatte/chat-shim';

import { backendWsUrl } from './backend';

/** The client the UI codes against: the shim's subset of StreamChat, with the SDK's method names. */
export type ChatClient = LocalChatClient;
/** A channel as the UI sees it: `watch`, `sendMessage`, `markRead`, `keystroke`, `on`, `state`. */
export type ChatChannel = LocalChannel;

/** Which backend this build talks to, fixed at build time. */
export const CHAT_BACKEND: 'stream' | 'jatte' = process.env.NEXT_PUBLIC_STREAM_KEY
  ? 'stream'
  : 'jatte';

let local: LocalChatClient | undefined;

/** The page's one chat client (a singleton in both modes, as `StreamChat.getInstance` is). */
export async function getStreamClient(): Promise<ChatClient> {
  if (process.env.NEXT_PUBLIC_STREAM_KEY) {
    const { StreamChat } = await import('stream-chat');
    // The UI uses only calls the shim offers, and the shim's signatures are checked against these
    // same SDK declarations (libs/chat-shim), so the real client can stand in for the shim's type.
    return StreamChat.getInstance(process.env.NEXT_PUBLIC_STREAM_KEY) as unknown as ChatClient;
  }
  local ??= new LocalChatClient({ wsUrl: backendWsUrl() });
  return local;
}
