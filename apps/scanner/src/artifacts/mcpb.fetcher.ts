import type { Package } from '@toolport/contracts';
import { ArtifactFetchError } from './archive-errors';
import { type ArtifactFetchDeps, downloadArtifact } from './artifact-download';
import type { FetchedArtifact } from './package-contents';

/**
 * mcpb: the identifier is the bundle's download URL; the bundle (a zip) is hashed with SHA-256
 * against server.json's `fileSha256`. Without one the bundle is still scanned, with a TP-ART-004.
 */
export async function fetchMcpbArtifact(pkg: Package, deps: ArtifactFetchDeps): Promise<FetchedArtifact> {
  let url: URL;
  try {
    url = new URL(pkg.identifier);
  } catch {
    throw new ArtifactFetchError(`mcpb identifier '${pkg.identifier}' is not a URL`, false, 'invalid-url');
  }
  const sha = pkg.fileSha256;
  const expected = typeof sha === 'string' && /^[a-fA-F0-9]{64}$/.test(sha) ? { algorithm: 'sha256' as const, hex: sha.toLowerCase(), source: 'fileSha256' } : null;
  return downloadArtifact(
    {
      url: url.href,
      format: 'zip',
      strip: 'none',
      expected,
      missingDigest: 'server.json gives no fileSha256 for this mcpb bundle; its integrity is not verified',
      ecosystem: 'mcpb',
      identifier: pkg.identifier,
      version: pkg.version ?? '',
    },
    deps,
  );
}
