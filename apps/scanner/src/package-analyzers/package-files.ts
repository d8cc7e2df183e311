import type { PackageContents, PackageFile } from '../artifacts/package-contents';

/**
 * Which files of a package each analyzer reads, and how much work a hostile package can cause.
 *
 * Vendored `node_modules/` (mcpb bundles, npm bundledDependencies) ship and run, so they are not
 * ignored: the dependency analyzer reads every nested package.json, and the source analyzer runs
 * its high-signal rules (dynamic code of decoded data, download-and-execute, exfiltration,
 * agent-config writes, obfuscator markers) over vendored files too. Rules that fire on ordinary
 * library code (command execution with a shell, install hooks of vendored packages, secrets,
 * tool extraction) skip them: well-known libraries would drown the reviewer in noise.
 */

/** Files larger than this are not parsed into an AST (a TP-SRC-008 info finding says so). */
export const MAX_AST_BYTES = 2 * 1024 * 1024;
/** Total bytes of source parsed per package; beyond it remaining files get the regex-only pass. */
export const MAX_TOTAL_AST_BYTES = 16 * 1024 * 1024;
/** Files larger than this are not scanned at all, even by regexes (text is usually null by then). */
export const MAX_SCAN_BYTES = 8 * 1024 * 1024;

export const isVendored = (path: string): boolean => /(^|\/)node_modules\//.test(path);

export const isJsSource = (path: string): boolean => /\.(?:[cm]?[jt]s|[jt]sx)$/i.test(path) && !/\.d\.[cm]?ts$/i.test(path);

export const isPython = (path: string): boolean => /\.py$/i.test(path);

/** Tests, fixtures, examples and documentation: shipped, but not what runs when the server runs. */
export const isTestOrDocs = (path: string): boolean =>
  /(^|\/)(?:tests?|__tests__|spec|specs|fixtures?|__fixtures__|__mocks__|examples?|samples?|docs?|benchmarks?)\//i.test(path) ||
  /\.(?:spec|test)\.[cm]?[jt]sx?$/i.test(path) ||
  /(^|\/)test_[^/]*\.py$|_test\.py$/i.test(path) ||
  /\.(?:md|markdown|rst|txt|adoc|html?)$/i.test(path);

/** Text files an analyzer may read, in path order (deterministic output). */
export function textFiles(contents: PackageContents, accept: (file: PackageFile) => boolean): (PackageFile & { text: string })[] {
  return contents.files
    .filter((f): f is PackageFile & { text: string } => f.text !== null && f.size <= MAX_SCAN_BYTES && accept(f))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function findFile(contents: PackageContents, path: string): PackageFile | undefined {
  return contents.files.find((f) => f.path === path);
}

/** Parses JSON without throwing: a broken manifest is a finding, not a crash. */
export function parseJson(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return undefined;
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch {
    return undefined;
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
