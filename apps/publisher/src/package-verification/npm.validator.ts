import { FetchError, fetchJson } from '@toolport/platform';
import { isRecord, type PackageCheck, type PackageValidator } from './package-validator';
import { joinUrl } from './registry-urls';
import { errorIssue, fetchFailureIssue, type VerificationIssue, warningIssue } from './verification-issue';

/** `name` or `@scope/name`; npm's own rules are stricter, this only keeps the URL well-formed. */
const NPM_NAME = /^(?:@([^/@\s%]+)\/)?([^/@\s%]+)$/;

/**
 * npm ownership: the version document `GET <base>/<name>/<version>` must carry `mcpName` equal to
 * the server name (the official registry's rule, `internal/validators/registries/npm.go`).
 */
export const npmValidator: PackageValidator = {
  registryType: 'npm',
  async validate(check: PackageCheck): Promise<VerificationIssue[]> {
    const { pkg, path, serverName } = check;
    const name = pkg.identifier;
    if (!NPM_NAME.test(name) || /^[._]/.test(name)) return [errorIssue(`${path}.identifier`, `'${name}' is not a valid npm package name`)];
    if (!pkg.version) return [errorIssue(`${path}.version`, `NPM package '${name}' needs a version for its ownership to be verified`)];
    const version = pkg.version;
    const encodedName = encodeNpmName(name);
    let document: unknown;
    try {
      ({ json: document } = await fetchJson(check.fetcher, joinUrl(check.baseUrl, encodedName, encodeURIComponent(version)), check.maxDocumentBytes));
    } catch (error) {
      if (error instanceof FetchError && error.kind === 'not-found') return [await describeMissing(check, encodedName, version)];
      return [fetchFailureIssue(path, `NPM package '${name}@${version}' at ${check.baseUrl}`, error)];
    }
    const manifest = isRecord(document) ? document : {};
    const mcpName = manifest['mcpName'];
    if (mcpName === undefined || mcpName === null || mcpName === '') {
      return [errorIssue(`${path}.identifier`, `NPM package '${name}' (version ${version}) is missing required 'mcpName' field. Add this to your package.json: "mcpName": "${serverName}"`)];
    }
    if (typeof mcpName !== 'string') {
      return [errorIssue(`${path}.identifier`, `NPM package '${name}' (version ${version}) has an 'mcpName' that is a ${typeof mcpName}, not a string. Set "mcpName": "${serverName}" in your package.json`)];
    }
    if (mcpName !== serverName) {
      return [errorIssue(`${path}.identifier`, `NPM package ownership validation failed. Expected mcpName '${serverName}', got '${mcpName}' (package '${name}' version ${version})`)];
    }
    const resolved = manifest['version'];
    if (typeof resolved === 'string' && resolved !== version) {
      return [warningIssue(`${path}.version`, `NPM version '${version}' of '${name}' resolved to '${resolved}'; declare the exact version`)];
    }
    return [];
  },
};

/** `@scope/name` → `@scope%2fname`, the form the npm CLI requests (npm-package-arg's escapedName). */
export function encodeNpmName(name: string): string {
  const match = NPM_NAME.exec(name);
  if (!match) throw new Error(`not an npm package name: ${name}`);
  const [, scope, bare] = match as unknown as [string, string | undefined, string];
  return scope === undefined ? encodeURIComponent(bare) : `@${encodeURIComponent(scope)}%2f${encodeURIComponent(bare)}`;
}

/**
 * A 404 on the version document does not say whether the package or the version is missing;
 * the small dist-tags document (`GET <base>/-/package/<name>/dist-tags`) does, without
 * downloading the whole packument (tens of MB for popular packages).
 */
async function describeMissing(check: PackageCheck, encodedName: string, version: string): Promise<VerificationIssue> {
  const { path, pkg, baseUrl } = check;
  try {
    const { json } = await fetchJson(check.fetcher, joinUrl(baseUrl, '-', 'package', encodedName, 'dist-tags'), check.maxDocumentBytes);
    const latest = isRecord(json) && typeof json['latest'] === 'string' ? ` (latest is ${json['latest']})` : '';
    return errorIssue(`${path}.version`, `NPM package '${pkg.identifier}' has no version '${version}' at ${baseUrl}${latest}`);
  } catch (error) {
    if (error instanceof FetchError && error.kind === 'not-found') return errorIssue(`${path}.identifier`, `NPM package '${pkg.identifier}' not found at ${baseUrl} (status: 404)`);
    return errorIssue(`${path}.version`, `NPM package '${pkg.identifier}' version '${version}' not found at ${baseUrl} (status: 404)`);
  }
}
