import type { Package } from '@toolport/contracts';
import { ArtifactFetchError } from './archive-errors';
import { type ArtifactFetchDeps } from './artifact-download';
import { ARTIFACT_URL_REFUSED, artifactFinding, CONTENT_NOT_SCANNED } from './artifact-rules';
import { fetchMcpbArtifact } from './mcpb.fetcher';
import { fetchNpmArtifact } from './npm.fetcher';
import type { FetchedArtifact } from './package-contents';
import { fetchPypiArtifact } from './pypi.fetcher';

/** One entry of server.json's `packages[]`. */
export type ServerJsonPackage = Package;

const FETCHERS: Readonly<Record<string, (pkg: Package, deps: ArtifactFetchDeps) => Promise<FetchedArtifact>>> = {
  npm: fetchNpmArtifact,
  pypi: fetchPypiArtifact,
  mcpb: fetchMcpbArtifact,
};

/**
 * Fetches and safely unpacks one package of a server version; never runs anything from it.
 * Resolves with the contents (or null) and the fetch findings; rejects with an ArtifactFetchError
 * (`retryable` true for 5xx, 429, timeouts and network failures) when no verdict could be reached.
 * A URL the address policy refuses is a verdict, not a failure: a critical TP-ART-009 finding.
 */
export async function fetchArtifact(pkg: ServerJsonPackage, deps: ArtifactFetchDeps): Promise<FetchedArtifact> {
  deps.signal?.throwIfAborted();
  const fetch = FETCHERS[pkg.registryType];
  if (fetch) {
    try {
      return await fetch(pkg, deps);
    } catch (error) {
      if (error instanceof ArtifactFetchError && error.kind === 'refused') return refusedUrl(pkg, error);
      throw error;
    }
  }
  const what = pkg.registryType === 'oci' ? `OCI image ${pkg.identifier}` : `${pkg.registryType} package ${pkg.identifier}`;
  const reason = pkg.registryType === 'oci' ? 'images are recorded, not pulled' : `the scanner does not fetch '${pkg.registryType}' packages`;
  return {
    contents: null,
    findings: [
      artifactFinding(CONTENT_NOT_SCANNED, {
        location: pkg.identifier,
        evidence: `${pkg.registryType}:${pkg.identifier}${pkg.version ? `@${pkg.version}` : ''}`,
        message: `The content of ${what} was not scanned (${reason}); only its metadata was analysed`,
      }),
    ],
    integrityVerified: false,
  };
}

/**
 * Why a finding rather than a failed scan: the reviewer sees which URL, host, address and range in
 * the review queue next to the rest of the scan, the critical severity keeps the version from being
 * approved (as a failed scan would), and a rescan after allow-listing an internal registry clears it.
 */
function refusedUrl(pkg: ServerJsonPackage, error: ArtifactFetchError): FetchedArtifact {
  const what = `${pkg.registryType} package ${pkg.identifier}${pkg.version ? `@${pkg.version}` : ''}`;
  return {
    contents: null,
    findings: [
      artifactFinding(ARTIFACT_URL_REFUSED, {
        location: pkg.identifier,
        evidence: error.message,
        message: `The artifact of ${what} was not fetched: ${error.message}. The scanner does not connect to loopback, private, link-local or metadata addresses named by published data; if this is an internal registry, add its range to TOOLPORT_SCANNER_ALLOW_CIDRS and rescan.`,
      }),
    ],
    integrityVerified: false,
  };
}

/** The scan engine's ArtifactSource seam (`fetch(pkg, signal)`) over fetchArtifact. */
export function createArtifactSource(deps: Omit<ArtifactFetchDeps, 'signal'>): { fetch(pkg: ServerJsonPackage, signal?: AbortSignal): Promise<FetchedArtifact> } {
  return { fetch: (pkg, signal) => fetchArtifact(pkg, signal ? { ...deps, signal } : deps) };
}
