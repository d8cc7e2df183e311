import { FetchError, fetchJson } from '@toolport/platform';
import { isRecord, type PackageCheck, type PackageValidator } from './package-validator';
import { joinUrl } from './registry-urls';
import { errorIssue, fetchFailureIssue, type VerificationIssue } from './verification-issue';

/** PEP 508 project names. */
const PYPI_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const MARKER = 'mcp-name: ';
/** Characters a server name can contain: a marker followed by one of these names something longer. */
const NAME_CHARACTER = /[A-Za-z0-9._/-]/;

/**
 * PyPI ownership: the release's README (`info.description` of `GET <base>/pypi/<name>/<version>/json`)
 * must contain `mcp-name: <server name>`, as the official registry requires (`pypi.go`).
 */
export const pypiValidator: PackageValidator = {
  registryType: 'pypi',
  async validate(check: PackageCheck): Promise<VerificationIssue[]> {
    const { pkg, path, serverName } = check;
    const name = pkg.identifier;
    if (!PYPI_NAME.test(name)) return [errorIssue(`${path}.identifier`, `'${name}' is not a valid PyPI project name`)];
    if (!pkg.version) return [errorIssue(`${path}.version`, `PyPI package '${name}' needs a version for its ownership to be verified`)];
    const version = pkg.version;
    let document: unknown;
    try {
      ({ json: document } = await fetchJson(check.fetcher, joinUrl(check.baseUrl, 'pypi', encodeURIComponent(name), encodeURIComponent(version), 'json'), check.maxDocumentBytes));
    } catch (error) {
      if (error instanceof FetchError && error.kind === 'not-found') return [await describeMissing(check, version)];
      return [fetchFailureIssue(path, `PyPI package '${name}' version ${version} at ${check.baseUrl}`, error)];
    }
    const info = isRecord(document) && isRecord(document['info']) ? document['info'] : {};
    const description = typeof info['description'] === 'string' ? info['description'] : '';
    if (declaresMcpName(description, serverName)) return [];
    const found = declaredMcpNames(description);
    const seen = found.length > 0 ? `it declares ${found.map((n) => `'mcp-name: ${n}'`).join(', ')}` : `it has no 'mcp-name:' line`;
    return [
      errorIssue(
        `${path}.identifier`,
        `PyPI package '${name}' ownership validation failed. The server name '${serverName}' must appear as 'mcp-name: ${serverName}' in the package README (version ${version}); ${seen}`,
      ),
    ];
  },
};

/**
 * True when `text` has `mcp-name: <serverName>` with the name ending at a non-name character,
 * so `mcp-name: io.github.a/foo-evil` does not vouch for `io.github.a/foo` (the official
 * registry's `ReadmeDeclaresMCPName` closes the same prefix hole).
 */
export function declaresMcpName(text: string, serverName: string): boolean {
  const wanted = MARKER + serverName;
  for (let at = text.indexOf(wanted); at >= 0; at = text.indexOf(wanted, at + 1)) {
    const next = text.charAt(at + wanted.length);
    if (next === '' || !NAME_CHARACTER.test(next)) return true;
  }
  return false;
}

/** The names a README declares, for a message that says what was found. */
function declaredMcpNames(text: string): string[] {
  const names = [...text.matchAll(/mcp-name:\s*([A-Za-z0-9._/-]+)/g)].map((match) => match[1] as string);
  return [...new Set(names)].slice(0, 5);
}

/** Tells a missing project from a missing release with the project document (bounded like every document). */
async function describeMissing(check: PackageCheck, version: string): Promise<VerificationIssue> {
  const { path, pkg, baseUrl } = check;
  try {
    const { json } = await fetchJson(check.fetcher, joinUrl(baseUrl, 'pypi', encodeURIComponent(pkg.identifier), 'json'), check.maxDocumentBytes);
    const info = isRecord(json) && isRecord(json['info']) ? json['info'] : {};
    const latest = typeof info['version'] === 'string' ? ` (latest is ${info['version']})` : '';
    return errorIssue(`${path}.version`, `PyPI package '${pkg.identifier}' has no release '${version}' at ${baseUrl}${latest}`);
  } catch (error) {
    if (error instanceof FetchError && error.kind === 'not-found') return errorIssue(`${path}.identifier`, `PyPI package '${pkg.identifier}' not found at ${baseUrl} (status: 404)`);
    return errorIssue(`${path}.version`, `PyPI package '${pkg.identifier}' version '${version}' not found at ${baseUrl} (status: 404)`);
  }
}
