import { createHash } from 'node:crypto';
import { describeUrl, FetchError } from '@toolport/platform';
import type { PackageCheck, PackageValidator } from './package-validator';
import { isUnderAllowedUrl } from './registry-urls';
import { errorIssue, fetchFailureIssue, type VerificationIssue } from './verification-issue';

const SHA256_HEX = /^[a-fA-F0-9]{64}$/;

/**
 * MCP bundles: the file at `identifier` is downloaded (bounded, streamed into a SHA-256, never
 * unpacked) and must hash to `fileSha256`. The official registry only sends a HEAD and never
 * checks the hash; Toolport does, because clients trust that hash when they install.
 */
export const mcpbValidator: PackageValidator = {
  registryType: 'mcpb',
  async validate(check: PackageCheck): Promise<VerificationIssue[]> {
    const { pkg, path } = check;
    if (!pkg.fileSha256) return [errorIssue(`${path}.fileSha256`, `MCPB package '${pkg.identifier}' must declare fileSha256, the SHA-256 of the bundle, so that its content can be verified`)];
    if (!SHA256_HEX.test(pkg.fileSha256)) return [errorIssue(`${path}.fileSha256`, `fileSha256 must be 64 hexadecimal characters, got '${pkg.fileSha256}'`)];
    const expected = pkg.fileSha256.toLowerCase();
    const url = parseDownloadUrl(pkg.identifier);
    if (url === null) return [errorIssue(`${path}.identifier`, `MCPB identifier '${pkg.identifier}' must be an absolute https download URL without credentials`)];
    if (url.protocol !== 'https:' && !isUnderAllowedUrl(url, check.allowedRegistryUrls)) {
      return [errorIssue(`${path}.identifier`, `MCPB download URL '${describeUrl(url.href)}' must use https${allowedHint(check.allowedRegistryUrls)}`)];
    }
    const hash = createHash('sha256');
    let bytes: number;
    try {
      ({ bytes } = await check.fetcher.get({ url: url.href, maxBytes: check.maxFileBytes, headers: { accept: 'application/octet-stream' }, onChunk: (chunk) => hash.update(chunk) }));
    } catch (error) {
      if (error instanceof FetchError && error.kind === 'not-found') return [errorIssue(`${path}.identifier`, `MCPB file not found at ${describeUrl(url.href)} (status: ${error.status})`)];
      if (error instanceof FetchError && error.kind === 'too-large') return [errorIssue(`${path}.identifier`, `MCPB file at ${describeUrl(url.href)} is larger than the verification limit of ${check.maxFileBytes} bytes`)];
      return [fetchFailureIssue(path, `MCPB file at ${describeUrl(url.href)}`, error)];
    }
    const actual = hash.digest('hex');
    if (actual !== expected) {
      return [errorIssue(`${path}.fileSha256`, `MCPB file at ${describeUrl(url.href)} has SHA-256 ${actual} (${bytes} bytes), but fileSha256 is ${expected}`)];
    }
    return [];
  },
};

function parseDownloadUrl(identifier: string): URL | null {
  try {
    const url = new URL(identifier);
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password) return null;
    return url;
  } catch {
    return null;
  }
}

function allowedHint(allowed: readonly string[]): string {
  const plain = allowed.filter((entry) => entry.startsWith('http:'));
  return plain.length > 0 ? ` or lie under an allowed registry URL (${plain.join(', ')})` : '';
}
