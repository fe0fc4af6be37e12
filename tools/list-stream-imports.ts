/**
 * Lists every file that imports the Stream SDK outside the one gateway (the seed's "A5-scan").
 *
 *   tsx tools/list-stream-imports.ts [ROOT ...]      (`tools/dev scan`, `npm run scan`)
 *
 * Each ROOT (default: this repository) is a tree with `frontend/` and `libs/`. Every TypeScript or
 * JavaScript file under them is parsed with the TypeScript compiler, so a comment or a string that
 * mentions stream-chat is not an import. Skipped: `libs/chat-shim/` (it implements the SDK's API and
 * checks itself against the SDK's types), `node_modules/` and `.next/`. The one file allowed to import
 * the SDK is the gateway, `frontend/lib/getStreamClient.ts`.
 *
 * An import is any of: `import … from`, `import type`, `export … from`, `import x = require()`,
 * `import()` (also in a type position) and `require()`, naming `stream-chat` or a subpath
 * `stream-chat/…`. Other packages whose names merely start with "stream-chat" (`stream-chat-react`,
 * Stream's UI kit) are different packages and are not reported: the scan names direct imports of the
 * SDK, and the bundle test in `frontend/tests` is what catches SDK code arriving any other way.
 *
 * Prints `path:line: imports 'stream-chat' (names: StreamChat, Channel)` per offender and exits 1;
 * prints a one-line summary and exits 0 when clean; exits 2 when a ROOT has neither folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

export const SDK = 'stream-chat';
export const GATEWAY = 'frontend/lib/getStreamClient.ts';
export const SCANNED_DIRS = ['frontend', 'libs'] as const;
export const EXCLUDED_DIRS = ['libs/chat-shim'] as const;
const SKIPPED_DIR_NAMES = new Set(['node_modules', '.next']);
const SOURCE_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** One import of the SDK found in a source file. */
export interface StreamImport {
  /** 1-based line of the statement or call. */
  line: number;
  /** The module specifier as written: `stream-chat` or `stream-chat/…`. */
  specifier: string;
  /** The SDK names the file takes from it; `*` = the whole module, empty = side effects only. */
  names: string[];
}

/** A StreamImport in a file that may not import the SDK. */
export interface Offender extends StreamImport {
  /** The file's path relative to the scanned root, with `/` separators. */
  file: string;
}

export interface ScanResult {
  offenders: Offender[];
  filesScanned: number;
}

/** True for `stream-chat` and its subpaths, false for other packages such as `stream-chat-react`. */
export function isStreamSpecifier(specifier: string): boolean {
  return specifier === SDK || specifier.startsWith(`${SDK}/`);
}

function scriptKind(fileName: string): ts.ScriptKind {
  if (/\.[jt]sx$/.test(fileName))
    return fileName.endsWith('.jsx') ? ts.ScriptKind.JSX : ts.ScriptKind.TSX;
  return /\.[cm]?js$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

function literalText(node: ts.Node | undefined): string | undefined {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))
    ? node.text
    : undefined;
}

function unwrap(node: ts.Node): ts.Node {
  let outer = node.parent;
  while (outer && (ts.isParenthesizedExpression(outer) || ts.isAwaitExpression(outer))) {
    node = outer;
    outer = node.parent;
  }
  return node;
}

/** `sdk.StreamChat` and `sdk.Channel` for a binding `sdk` that holds the whole module. */
function namesUsedThrough(binding: ts.Identifier, sourceFile: ts.SourceFile): string[] {
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isPropertyAccessExpression(node) || ts.isQualifiedName(node)) &&
      ts.isIdentifier(ts.isPropertyAccessExpression(node) ? node.expression : node.left) &&
      (ts.isPropertyAccessExpression(node) ? node.expression : node.left).getText(sourceFile) ===
        binding.text
    ) {
      names.push(ts.isPropertyAccessExpression(node) ? node.name.text : node.right.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return names.length > 0 ? names : ['*'];
}

function bindingNames(pattern: ts.ObjectBindingPattern): string[] {
  return pattern.elements.map((element) => {
    const key = element.propertyName ?? element.name;
    return ts.isIdentifier(key) || ts.isStringLiteral(key) ? key.text : '*';
  });
}

/** The names taken from `import("stream-chat")` or `require("stream-chat")`, read from where the call's value goes. */
function namesFromCall(call: ts.CallExpression, sourceFile: ts.SourceFile): string[] {
  const value = unwrap(call);
  const consumer = value.parent;
  if (ts.isVariableDeclaration(consumer) && consumer.initializer === value) {
    if (ts.isObjectBindingPattern(consumer.name)) return bindingNames(consumer.name);
    if (ts.isIdentifier(consumer.name)) return namesUsedThrough(consumer.name, sourceFile);
  }
  if (ts.isPropertyAccessExpression(consumer) && consumer.expression === value) {
    const then = consumer.parent;
    if (consumer.name.text === 'then' && ts.isCallExpression(then) && then.arguments.length > 0) {
      const callback = then.arguments[0];
      const first =
        (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) &&
        callback.parameters[0];
      if (first && ts.isObjectBindingPattern(first.name)) return bindingNames(first.name);
      if (first && ts.isIdentifier(first.name)) return namesUsedThrough(first.name, sourceFile);
      return ['*'];
    }
    return [consumer.name.text];
  }
  return ['*'];
}

function namesFromImportClause(
  clause: ts.ImportClause | undefined,
  sourceFile: ts.SourceFile,
): string[] {
  if (!clause) return [];
  const names: string[] = clause.name ? ['default'] : [];
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings))
    names.push(...namesUsedThrough(bindings.name, sourceFile));
  if (bindings && ts.isNamedImports(bindings)) {
    names.push(...bindings.elements.map((element) => (element.propertyName ?? element.name).text));
  }
  return names;
}

function firstIdentifier(name: ts.EntityName | undefined): string {
  if (!name) return '*';
  return ts.isIdentifier(name) ? name.text : firstIdentifier(name.left);
}

/** Every import of the SDK in one file's text; comments and strings are never imports. */
export function findStreamImports(fileName: string, text: string): StreamImport[] {
  const sourceFile = ts.createSourceFile(
    fileName,
    text,
    ts.ScriptTarget.Latest,
    true,
    scriptKind(fileName),
  );
  const found: StreamImport[] = [];
  const record = (node: ts.Node, specifier: string | undefined, names: () => string[]): void => {
    if (specifier === undefined || !isStreamSpecifier(specifier)) return;
    const line = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
    found.push({ line, specifier, names: [...new Set(names())] });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      record(node, literalText(node.moduleSpecifier), () =>
        namesFromImportClause(node.importClause, sourceFile),
      );
    } else if (ts.isExportDeclaration(node)) {
      record(node, literalText(node.moduleSpecifier), () =>
        node.exportClause && ts.isNamedExports(node.exportClause)
          ? node.exportClause.elements.map((element) => (element.propertyName ?? element.name).text)
          : ['*'],
      );
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference)
    ) {
      record(node, literalText(node.moduleReference.expression), () =>
        namesUsedThrough(node.name, sourceFile),
      );
    } else if (ts.isImportTypeNode(node)) {
      const argument = ts.isLiteralTypeNode(node.argument) ? node.argument.literal : undefined;
      record(node, literalText(argument), () => [firstIdentifier(node.qualifier)]);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if (isImport || isRequire)
        record(node, literalText(node.arguments[0]), () => namesFromCall(node, sourceFile));
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !SKIPPED_DIR_NAMES.has(entry.name)) yield* sourceFiles(full);
    else if (entry.isFile() && SOURCE_FILE.test(entry.name)) yield full;
  }
}

/** Scans `frontend/` and `libs/` under one root; throws when the root has neither. */
export function scanRoot(root: string): ScanResult {
  const dirs = SCANNED_DIRS.map((dir) => path.join(root, dir)).filter((dir) => fs.existsSync(dir));
  if (dirs.length === 0)
    throw new Error(`${root}: neither ${SCANNED_DIRS.join('/ nor ')}/ exists there`);
  const result: ScanResult = { offenders: [], filesScanned: 0 };
  for (const dir of dirs) {
    for (const file of sourceFiles(dir)) {
      const relative = path.relative(root, file).split(path.sep).join('/');
      if (EXCLUDED_DIRS.some((excluded) => relative.startsWith(`${excluded}/`))) continue;
      result.filesScanned += 1;
      if (relative === GATEWAY) continue;
      for (const found of findStreamImports(file, fs.readFileSync(file, 'utf8'))) {
        result.offenders.push({ file: relative, ...found });
      }
    }
  }
  return result;
}

/** One offender as the scan prints it. */
export function formatOffender(offender: Offender, root: string): string {
  const shown = path.relative(process.cwd(), path.join(root, offender.file)) || offender.file;
  const names = offender.names.length > 0 ? offender.names.join(', ') : 'none, side effects only';
  return `${shown}:${offender.line}: imports '${offender.specifier}' (names: ${names})`;
}

/** Runs the scan over each root and returns the process exit code. */
export function main(args: string[], out: (line: string) => void = console.log): number {
  const roots = args.length > 0 ? args : [path.resolve(__dirname, '..')];
  let offenders = 0;
  let files = 0;
  for (const root of roots) {
    let result: ScanResult;
    try {
      result = scanRoot(root);
    } catch (error) {
      out(`list-stream-imports: ${(error as Error).message}`);
      return 2;
    }
    for (const offender of result.offenders) out(formatOffender(offender, root));
    offenders += result.offenders.length;
    files += result.filesScanned;
  }
  if (offenders > 0) {
    out(
      `${offenders} stray import(s) of '${SDK}': only ${GATEWAY} may import it; import the client from there.`,
    );
    return 1;
  }
  out(
    `No stray '${SDK}' imports: ${files} files under ${SCANNED_DIRS.join('/, ')}/ scanned (only ${GATEWAY} may import it).`,
  );
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
