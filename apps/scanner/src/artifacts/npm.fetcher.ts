import { FetchError, fetchJson } from '@toolport/platform';
import type { Package } from '@toolport/contracts';
import { ArtifactFetchError } from './archive-errors';
import { type ArtifactFetchDeps, asFetchFailure, downloadArtifact, type ExpectedDigest } from './artifact-download';
import type { FetchedArtifact } from './package-contents';

/** `name` or `@scope/name`; npm's own rules are stricter, this only keeps the URL well-formed. */
const NPM_NAME = /^(?:@([^/@\s%]+)\/)?([^/@\s%]+)$/;
const SRI_STRENGTH: readonly ExpectedDigest['algorithm'][] = ['sha512', 'sha384', 'sha256', 'sha1'];

/**
 * npm: the version document `GET <registry>/<name>/<version>` (a few KB, unlike the whole
 * packument, which runs to tens of MB for popular packages; npmjs.org, Verdaccio, Artifactory and
 * Nexus all serve it) gives `dist.tarball` and `dist.integrity`; the tarball is streamed through
 * SHA-512 and the unpacker at once.
 */
export async function fetchNpmArtifact(pkg: Package, deps: ArtifactFetchDeps): Promise<FetchedArtifact> {
  const name = pkg.identifier;
  const match = NPM_NAME.exec(name);
  if (!match || /^[._]/.test(name)) throw new ArtifactFetchError(`'${name}' is not a valid npm package name`, false, 'invalid-metadata');
  if (!pkg.version) throw new ArtifactFetchError(`npm package '${name}' has no version to scan`, false, 'no-version');
  const base = (pkg.registryBaseUrl ?? deps.config.npmRegistryUrl).replace(/\/+$/, '');
  const [, scope, bare] = match as unknown as [string, string | undefined, string];
  const encoded = scope === undefined ? encodeURIComponent(bare) : `@${encodeURIComponent(scope)}%2f${encodeURIComponent(bare)}`;
  const document = await versionDocument(deps, base, encoded, name, pkg.version);
  const dist = isRecord(document) && isRecord(document['dist']) ? document['dist'] : null;
  const tarball = dist?.['tarball'];
  if (typeof tarball !== 'string' || tarball === '') throw new ArtifactFetchError(`npm version document of '${name}@${pkg.version}' names no dist.tarball`, false, 'invalid-metadata');
  const expected = parseIntegrity(dist?.['integrity']) ?? parseShasum(dist?.['shasum']);
  return downloadArtifact(
    {
      url: new URL(tarball, `${base}/`).href,
      format: 'tar.gz',
      strip: 'first-segment',
      expected,
      missingDigest: `npm package '${name}@${pkg.version}' publishes neither dist.integrity nor dist.shasum; its integrity is not verified`,
      ecosystem: 'npm',
      identifier: name,
      version: pkg.version,
    },
    deps,
  );
}

/**
 * The version document; when a registry does not serve `/<name>/<version>` (some proxies only
 * serve packuments), the packument's `versions[version]`, read under the same byte limit.
 */
async function versionDocument(deps: ArtifactFetchDeps, base: string, encoded: string, name: string, version: string): Promise<unknown> {
  try {
    return (await fetchJson(deps.fetcher, `${base}/${encoded}/${encodeURIComponent(version)}`, deps.config.maxDocumentBytes)).json;
  } catch (error) {
    if (!(error instanceof FetchError && error.kind === 'not-found')) throw asFetchFailure(error);
  }
  let packument: unknown;
  try {
    ({ json: packument } = await fetchJson(deps.fetcher, `${base}/${encoded}`, deps.config.maxDocumentBytes));
  } catch (error) {
    if (error instanceof FetchError && error.kind === 'not-found') throw new ArtifactFetchError(`npm package '${name}' not found at ${base}`, false, 'not-found');
    throw asFetchFailure(error);
  }
  const versions = isRecord(packument) && isRecord(packument['versions']) ? packument['versions'] : {};
  const document = versions[version];
  if (!isRecord(document)) throw new ArtifactFetchError(`npm package '${name}' has no version '${version}' at ${base}`, false, 'not-found');
  return document;
}

/** The strongest hash of an SRI string (`sha512-<base64> sha1-<base64>`), as hex. */
export function parseIntegrity(integrity: unknown): ExpectedDigest | null {
  if (typeof integrity !== 'string') return null;
  const found = new Map<string, string>();
  for (const token of integrity.trim().split(/\s+/)) {
    const match = /^(sha512|sha384|sha256|sha1)-([A-Za-z0-9+/]+={0,2})(?:\?.*)?$/.exec(token);
    if (match && !found.has(match[1]!)) found.set(match[1]!, Buffer.from(match[2]!, 'base64').toString('hex'));
  }
  for (const algorithm of SRI_STRENGTH) {
    const hex = found.get(algorithm);
    if (hex) return { algorithm, hex, source: 'dist.integrity' };
  }
  return null;
}

function parseShasum(shasum: unknown): ExpectedDigest | null {
  if (typeof shasum !== 'string' || !/^[a-fA-F0-9]{40}$/.test(shasum)) return null;
  return { algorithm: 'sha1', hex: shasum.toLowerCase(), source: 'dist.shasum' };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
