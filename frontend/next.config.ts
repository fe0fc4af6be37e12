import path from 'node:path';

import type { NextConfig } from 'next';

// The CLI reads this before loading the config too (package.json scripts set it); this covers
// `npx next …` run by hand.
process.env.NEXT_TELEMETRY_DISABLED = '1';

const repoRoot = path.resolve(__dirname, '..');
/** Set at build time to build against Stream's cloud instead of Jatte (lib/getStreamClient.ts). */
const streamKey = process.env.NEXT_PUBLIC_STREAM_KEY ?? '';

const config: NextConfig = {
  // The shim lives outside this folder (libs/chat-shim) and node_modules is hoisted to the root.
  turbopack: {
    root: repoRoot,
    // The local build resolves `stream-chat` to the shim (the seed's alias), so no import of it can
    // bring the SDK into the bundle; the Stream build resolves the real package.
    resolveAlias: streamKey ? {} : { 'stream-chat': '@jatte/chat-shim' },
  },
  outputFileTracingRoot: repoRoot,
  // Always defined, "" when unset: Next inlines a defined NEXT_PUBLIC_* value, and the gateway's
  // SDK branch (`if ("")`) is then dropped from the bundle. An undefined one would stay a run-time
  // lookup and leave the branch, and the SDK chunk, in place.
  env: { NEXT_PUBLIC_STREAM_KEY: streamKey },
  // frontend/tests builds into `.next/e2e…` so a developer's `.next` is left alone.
  distDir: process.env.JATTE_NEXT_DIST_DIR || '.next',
  reactStrictMode: true,
  poweredByHeader: false,
};

export default config;
