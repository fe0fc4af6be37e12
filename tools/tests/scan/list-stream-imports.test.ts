/**
 * The stray-import scan: each import form is found with its line and names, look-alikes are not,
 * and the command run on a tree allows the gateway only.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { findStreamImports, GATEWAY, isStreamSpecifier, main } from '../../list-stream-imports';
import { IMPORT_FORMS, LOOK_ALIKES } from './fixtures';

const REPO = path.resolve(__dirname, '../../..');
const SCAN = path.join(REPO, 'tools/list-stream-imports.ts');
const TSX = path.join(REPO, 'node_modules/.bin/tsx');

/** Writes `files` (path relative to the root → text) into a fresh directory and returns its path. */
function makeTree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(process.env.TEST_TMPDIR ?? os.tmpdir(), 'scan-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

/** Runs the real command, as `tools/dev scan` does, with the tree as the working directory. */
function runScan(root: string): { status: number | null; lines: string[] } {
  const run = spawnSync(TSX, [SCAN, '.'], { cwd: root, encoding: 'utf8' });
  if (run.error) throw run.error;
  return { status: run.status, lines: `${run.stdout}${run.stderr}`.trim().split('\n') };
}

const GATEWAY_SOURCE = `import { LocalChatClient } from "@jatte/chat-shim";\nexport async function getStreamClient() {\n  if (process.env.NEXT_PUBLIC_STREAM_KEY) return (await import("stream-chat")).StreamChat;\n  return LocalChatClient;\n}\n`;

describe('findStreamImports', () => {
  test.each(IMPORT_FORMS.map((fixture) => [fixture.name, fixture] as const))(
    'finds_import_form: %s',
    (_name, fixture) => {
      expect(findStreamImports(fixture.file, fixture.source)).toEqual(fixture.expected);
    },
  );

  test.each(LOOK_ALIKES.map((fixture) => [fixture.name, fixture] as const))(
    'ignores_look_alike: %s',
    (_name, fixture) => {
      expect(findStreamImports(fixture.file, fixture.source)).toEqual([]);
    },
  );

  test('import_forms_cover_every_kind_of_statement_and_call', () => {
    const sources = IMPORT_FORMS.map((fixture) => fixture.source).join('\n');
    for (const form of [
      'import {',
      'import type',
      'export {',
      'export *',
      'import(',
      'require(',
      '= require(',
    ]) {
      expect(sources).toContain(form);
    }
  });
});

describe('isStreamSpecifier', () => {
  test('specifier_matches_the_package_and_its_subpaths_only', () => {
    expect(isStreamSpecifier('stream-chat')).toBe(true);
    expect(isStreamSpecifier('stream-chat/dist/esm/index.mjs')).toBe(true);
    expect(isStreamSpecifier('stream-chat-react')).toBe(false);
    expect(isStreamSpecifier('@scope/stream-chat')).toBe(false);
    expect(isStreamSpecifier('./stream-chat')).toBe(false);
  });
});

describe('list-stream-imports command', () => {
  test('scan_on_a_clean_tree_exits_0_and_allows_the_gateway', () => {
    const root = makeTree({
      [GATEWAY]: GATEWAY_SOURCE,
      'frontend/app/page.tsx': LOOK_ALIKES.map((fixture) => fixture.source).join('\n'),
      'libs/chat-shim/index.ts': `import type { StreamChat } from "stream-chat";\nexport type T = StreamChat;\n`,
      'frontend/node_modules/some-lib/index.js': `module.exports = require("stream-chat");\n`,
      'frontend/.next/static/chunks/app.js': `import("stream-chat");\n`,
      'libs/node_modules/x/index.ts': `export * from "stream-chat";\n`,
    });
    const { status, lines } = runScan(root);
    expect(lines).toEqual([
      `No stray 'stream-chat' imports: 2 files under frontend/, libs/ scanned (only ${GATEWAY} may import it).`,
    ]);
    expect(status).toBe(0);
  });

  test('scan_reports_each_offender_with_path_line_and_names_then_exits_1', () => {
    const root = makeTree({
      [GATEWAY]: GATEWAY_SOURCE,
      'frontend/app/demo/page.tsx': `"use client";\n// a comment about stream-chat\nimport { StreamChat, Channel } from "stream-chat";\nexport default function Page() { return <p>{String(StreamChat)}{String(Channel)}</p>; }\n`,
      'frontend/app/getStreamClient.ts': `export * from "stream-chat";\n`,
      'libs/chat-shim-extras/index.ts': `const { Event } = require("stream-chat");\nexport default Event;\n`,
      'libs/widgets/side.ts': `import "stream-chat/dist/esm/index.mjs";\n`,
    });
    const { status, lines } = runScan(root);
    expect(lines).toEqual([
      "frontend/app/demo/page.tsx:3: imports 'stream-chat' (names: StreamChat, Channel)",
      "frontend/app/getStreamClient.ts:1: imports 'stream-chat' (names: *)",
      "libs/chat-shim-extras/index.ts:1: imports 'stream-chat' (names: Event)",
      "libs/widgets/side.ts:1: imports 'stream-chat/dist/esm/index.mjs' (names: none, side effects only)",
      `4 stray import(s) of 'stream-chat': only ${GATEWAY} may import it; import the client from there.`,
    ]);
    expect(status).toBe(1);
  });

  test('scan_reports_every_import_form_fixture_from_disk', () => {
    const files = Object.fromEntries(
      IMPORT_FORMS.map((fixture) => [`frontend/forms/${fixture.file}`, fixture.source]),
    );
    const lines: string[] = [];
    const status = main([makeTree(files)], (line) => lines.push(line));
    const expectedCount = IMPORT_FORMS.reduce((sum, fixture) => sum + fixture.expected.length, 0);
    expect(lines.filter((line) => line.includes(": imports 'stream-chat"))).toHaveLength(
      expectedCount,
    );
    expect(status).toBe(1);
  });

  test('scan_of_a_root_without_frontend_or_libs_exits_2', () => {
    const root = makeTree({ 'src/index.ts': `import "stream-chat";\n` });
    const { status, lines } = runScan(root);
    expect(lines).toEqual([`list-stream-imports: .: neither frontend/ nor libs/ exists there`]);
    expect(status).toBe(2);
  });
});
