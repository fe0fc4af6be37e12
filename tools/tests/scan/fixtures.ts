/**
 * Fixtures for the stray-import scan, as data: each record is one source file and what the scan must
 * report in it. The tests write them into a throw-away tree, so the repository's own type check and
 * build never see these deliberately bad imports.
 */

/** What the scan reports for one import: `path:line: imports '<specifier>' (names: …)`. */
export interface Expected {
  line: number;
  specifier: string;
  names: string[];
}

export interface Fixture {
  /** What the record shows, used as the test's name. */
  name: string;
  /** The file's name; its extension picks the parser (TS, TSX, JS). */
  file: string;
  source: string;
  /** Empty for a look-alike that is not an import. */
  expected: Expected[];
}

const sdk = (line: number, names: string[], specifier = 'stream-chat'): Expected => ({
  line,
  specifier,
  names,
});

/** One fixture per import form the scan must catch. */
export const IMPORT_FORMS: Fixture[] = [
  {
    name: 'static import of named bindings, renamed or not',
    file: 'static-named.ts',
    source: `import { StreamChat, Channel as StreamChannel } from "stream-chat";\nexport const c: StreamChannel | null = null;\nvoid StreamChat;\n`,
    expected: [sdk(1, ['StreamChat', 'Channel'])],
  },
  {
    name: 'static default import beside a named one',
    file: 'static-default.ts',
    source: `import Sdk, { Event } from "stream-chat";\nexport type E = Event;\nvoid Sdk;\n`,
    expected: [sdk(1, ['default', 'Event'])],
  },
  {
    name: 'namespace import reports the names used through it',
    file: 'namespace.ts',
    source: `import * as sdk from "stream-chat";\n\nexport const client = sdk.StreamChat.getInstance("key");\nexport type E = sdk.Event;\n`,
    expected: [sdk(1, ['StreamChat', 'Event'])],
  },
  {
    name: 'side-effect-only import',
    file: 'side-effect.ts',
    source: `// loads the SDK for its side effects\nimport "stream-chat";\n`,
    expected: [sdk(2, [])],
  },
  {
    name: 'import type',
    file: 'import-type.ts',
    source: `import type { ChannelState, UserResponse } from "stream-chat";\nexport type S = [ChannelState, UserResponse];\n`,
    expected: [sdk(1, ['ChannelState', 'UserResponse'])],
  },
  {
    name: 'inline type modifier in a named import',
    file: 'inline-type.ts',
    source: `import { type Channel } from 'stream-chat';\nexport type C = Channel;\n`,
    expected: [sdk(1, ['Channel'])],
  },
  {
    name: 'export … from with named bindings',
    file: 'export-named.ts',
    source: `export { StreamChat, Channel as StreamChannel } from "stream-chat";\n`,
    expected: [sdk(1, ['StreamChat', 'Channel'])],
  },
  {
    name: 'export * from',
    file: 'export-star.ts',
    source: `export const before = 1;\nexport * from "stream-chat";\n`,
    expected: [sdk(2, ['*'])],
  },
  {
    name: 'export type … from',
    file: 'export-type.ts',
    source: `export type { Event as StreamEvent } from "stream-chat";\n`,
    expected: [sdk(1, ['Event'])],
  },
  {
    name: 'dynamic import() destructured after await',
    file: 'dynamic-await.ts',
    source: `export async function load() {\n  const { StreamChat } = await import("stream-chat");\n  return StreamChat;\n}\n`,
    expected: [sdk(2, ['StreamChat'])],
  },
  {
    name: 'dynamic import() followed by .then',
    file: 'dynamic-then.ts',
    source: `export const load = () =>\n  import("stream-chat").then(({ StreamChat, Channel }) => [StreamChat, Channel]);\n`,
    expected: [sdk(2, ['StreamChat', 'Channel'])],
  },
  {
    name: 'dynamic import() with a property read off the module',
    file: 'dynamic-property.ts',
    source: `export async function load() {\n  return (await import("stream-chat")).StreamChat;\n}\n`,
    expected: [sdk(2, ['StreamChat'])],
  },
  {
    name: 'dynamic import() of a template literal without substitutions',
    file: 'dynamic-template.ts',
    source: 'export const load = () => import(`stream-chat`);\n',
    expected: [sdk(1, ['*'])],
  },
  {
    name: 'require() destructured in a JavaScript file',
    file: 'require-destructured.js',
    source: `"use strict";\nconst { StreamChat } = require("stream-chat");\nmodule.exports = StreamChat;\n`,
    expected: [sdk(2, ['StreamChat'])],
  },
  {
    name: 'require() with a property read off the module',
    file: 'require-property.cjs',
    source: `const StreamChat = require("stream-chat").StreamChat;\nmodule.exports = StreamChat;\n`,
    expected: [sdk(1, ['StreamChat'])],
  },
  {
    name: 'require() of the whole module reports the names used through it',
    file: 'require-whole.js',
    source: `const sdk = require("stream-chat");\nmodule.exports = sdk.StreamChat.getInstance("key");\n`,
    expected: [sdk(1, ['StreamChat'])],
  },
  {
    name: 'import = require()',
    file: 'import-equals.ts',
    source: `import sdk = require("stream-chat");\nexport const client = sdk.StreamChat.getInstance("key");\n`,
    expected: [sdk(1, ['StreamChat'])],
  },
  {
    name: 'import() in a type position',
    file: 'import-type-node.ts',
    source: `export type Client = import("stream-chat").StreamChat;\n`,
    expected: [sdk(1, ['StreamChat'])],
  },
  {
    name: 'a subpath of the package',
    file: 'subpath.ts',
    source: `import { StreamChat } from "stream-chat/dist/esm/index.mjs";\nvoid StreamChat;\n`,
    expected: [sdk(1, ['StreamChat'], 'stream-chat/dist/esm/index.mjs')],
  },
  {
    name: 'an import in a TSX component after JSX, with its own line number',
    file: 'Component.tsx',
    source: `export function Hello() {\n  return <p className="x">hello</p>;\n}\n\nexport const later = () => import("stream-chat");\n`,
    expected: [sdk(5, ['*'])],
  },
  {
    name: 'a multi-line import reports the line it starts on',
    file: 'multiline.ts',
    source: `const x = 1;\nimport {\n  StreamChat,\n  type Channel,\n} from "stream-chat";\nexport type C = Channel;\nvoid [x, StreamChat];\n`,
    expected: [sdk(2, ['StreamChat', 'Channel'])],
  },
  {
    name: 'several imports in one file, each reported',
    file: 'several.ts',
    source: `import type { Event } from "stream-chat";\nexport type E = Event;\nexport const load = () => import("stream-chat/dist/cjs/index.browser.js");\n`,
    expected: [sdk(1, ['Event']), sdk(3, ['*'], 'stream-chat/dist/cjs/index.browser.js')],
  },
];

/**
 * Things that mention stream-chat without importing it. `stream-chat-react` is Stream's UI kit, a
 * different package: the scan reports direct imports of the SDK only (Node resolves package names
 * whole, not by prefix), and the bundle test catches SDK code that would arrive through the UI kit.
 */
export const LOOK_ALIKES: Fixture[] = [
  {
    name: 'line and block comments',
    file: 'comments.ts',
    source: `// import { StreamChat } from "stream-chat";\n/* const { StreamChat } = require("stream-chat"); */\n/** @see import("stream-chat") */\nexport const x = 1;\n`,
    expected: [],
  },
  {
    name: 'strings and templates that quote an import',
    file: 'strings.ts',
    source: `export const a = 'import { StreamChat } from "stream-chat"';\nexport const b = \`await import("stream-chat")\`;\nexport const c = "stream-chat";\n`,
    expected: [],
  },
  {
    name: 'JSX text that quotes an import',
    file: 'Note.tsx',
    source: `export const Note = () => <p>We replaced import("stream-chat") with require("stream-chat")-free code.</p>;\n`,
    expected: [],
  },
  {
    name: 'stream-chat-react is a different package',
    file: 'ui-kit.tsx',
    source: `import { Chat } from "stream-chat-react";\nexport const C = Chat;\n`,
    expected: [],
  },
  {
    name: 'packages and files whose names contain stream-chat',
    file: 'other-names.ts',
    source: `import a from "@acme/stream-chat";\nimport b from "./stream-chat";\nimport c from "stream-chat-js";\nexport default [a, b, c];\n`,
    expected: [],
  },
  {
    name: 'a method named require on another object; a computed import() (not knowable without running it)',
    file: 'not-node-require.ts',
    source: `declare const loader: { require(name: string): unknown };\nloader.require("stream-chat");\nconst name = "stream-" + "chat";\nexport const later = () => import(name);\n`,
    expected: [],
  },
];
