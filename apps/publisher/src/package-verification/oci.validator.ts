import { createHash } from 'node:crypto';
import { describeUrl, FetchError, type FetchResponse } from '@toolport/platform';
import { isRecord, type PackageCheck, type PackageValidator } from './package-validator';
import { type BearerChallenge, DIGEST, type OciReference, parseBearerChallenge, parseOciReference, TAG } from './oci-reference';
import { errorIssue, fetchFailureIssue, type VerificationIssue, warningIssue } from './verification-issue';

export const OCI_SERVER_NAME_LABEL = 'io.modelcontextprotocol.server.name';

/** Public registries the official registry accepts (BEHAVIOUR.md §3); operators add theirs with TOOLPORT_ALLOWED_REGISTRY_URLS. */
const PUBLIC_REGISTRIES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'ghcr.io', 'quay.io', 'mcr.microsoft.com']);
const PUBLIC_REGISTRY_SUFFIXES = ['.pkg.dev', '.azurecr.io'];

const INDEX_TYPES = ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json'];
const MANIFEST_TYPES = ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'];
const CONFIG_TYPES = ['application/vnd.oci.image.config.v1+json', 'application/vnd.docker.container.image.v1+json'];

/**
 * OCI ownership: the image config of `identifier` must carry the label
 * `io.modelcontextprotocol.server.name=<server name>`. Pulled anonymously through the
 * distribution API v2 (manifest, then config blob; never layers). A 429 skips the check with a
 * warning, as the official registry does, because Docker Hub's anonymous pull limit is easy to hit.
 */
export const ociValidator: PackageValidator = {
  registryType: 'oci',
  async validate(check: PackageCheck): Promise<VerificationIssue[]> {
    const { pkg, path } = check;
    const reference = parseOciReference(pkg.identifier);
    if (reference === null) return [errorIssue(`${path}.identifier`, `invalid OCI reference '${pkg.identifier}': expected [registry/]namespace/image[:tag][@sha256:digest]`)];
    const apiBase = apiBaseOf(reference, check.allowedRegistryUrls);
    if (apiBase === null) return [errorIssue(`${path}.identifier`, `unsupported OCI registry: ${reference.registry}. Allowed: ${allowedRegistries(check.allowedRegistryUrls).join(', ')}`)];
    const image = pkg.identifier;
    try {
      const labels = await readLabels(new OciSession(check, apiBase, reference), reference, pkg.version ?? null, check.maxDocumentBytes);
      const label = labels[OCI_SERVER_NAME_LABEL];
      if (label === undefined) {
        return [errorIssue(`${path}.identifier`, `OCI image '${image}' is missing required annotation. Add this to your Dockerfile: LABEL ${OCI_SERVER_NAME_LABEL}="${check.serverName}"`)];
      }
      if (label !== check.serverName) {
        return [errorIssue(`${path}.identifier`, `OCI image ownership validation failed. Expected annotation '${OCI_SERVER_NAME_LABEL}' = '${check.serverName}', got '${label}'`)];
      }
      return [];
    } catch (error) {
      if (error instanceof OciProblem) return [errorIssue(`${path}.identifier`, `OCI image '${image}': ${error.message}`)];
      if (!(error instanceof FetchError)) throw error;
      if (error.kind === 'rate-limited') {
        return [warningIssue(`${path}.identifier`, `OCI registry ${describeUrl(error.url)} rate-limited the check (429): ownership of image '${image}' was not verified`)];
      }
      if (error.kind === 'not-found' || error.kind === 'unauthorized') {
        return [errorIssue(`${path}.identifier`, `OCI image '${image}' not found or not accessible (status: ${error.status}); only public images can be verified`)];
      }
      return [fetchFailureIssue(path, `OCI image '${image}'`, error)];
    }
  },
};

/** The registry answered, but not with what the distribution spec describes. */
class OciProblem extends Error {}

async function readLabels(session: OciSession, reference: OciReference, version: string | null, maxBytes: number): Promise<Record<string, unknown>> {
  // The pre-2025-10-11 format kept the tag in `version`; honour it when the identifier has none.
  if (reference.tag === null && reference.digest === null && version !== null && !TAG.test(version)) throw new OciProblem(`version '${version}' is not a valid image tag`);
  const fallbackTag = version ?? 'latest';
  // Tags and digests are URL-safe by their grammar: no escaping (a registry may not decode `%3A`).
  const wanted = reference.digest ?? reference.tag ?? fallbackTag;
  let manifest = await session.getJson(`manifests/${wanted}`, [...INDEX_TYPES, ...MANIFEST_TYPES], maxBytes, reference.digest);
  if (isIndex(manifest.json, manifest.response)) {
    const digest = pickPlatformManifest(manifest.json);
    manifest = await session.getJson(`manifests/${digest}`, MANIFEST_TYPES, maxBytes, digest);
  }
  const config = isRecord(manifest.json) && isRecord(manifest.json['config']) ? manifest.json['config'] : null;
  const configDigest = config?.['digest'];
  if (typeof configDigest !== 'string' || !DIGEST.test(configDigest)) throw new OciProblem('the manifest has no sha256 config digest (only OCI and Docker v2 images are supported)');
  const blob = await session.getJson(`blobs/${configDigest}`, [...CONFIG_TYPES, 'application/octet-stream'], maxBytes, configDigest);
  const runtime = isRecord(blob.json) && isRecord(blob.json['config']) ? blob.json['config'] : {};
  return isRecord(runtime['Labels']) ? runtime['Labels'] : {};
}

function isIndex(json: unknown, response: FetchResponse): boolean {
  const mediaType = isRecord(json) && typeof json['mediaType'] === 'string' ? json['mediaType'] : (response.headers['content-type'] ?? '').split(';')[0]?.trim();
  return INDEX_TYPES.includes(mediaType ?? '') || (isRecord(json) && Array.isArray(json['manifests']));
}

/** linux/amd64 first (what `docker run` on a CI runner pulls), else the first real platform. */
function pickPlatformManifest(index: unknown): string {
  const entries = isRecord(index) && Array.isArray(index['manifests']) ? index['manifests'].filter(isRecord) : [];
  const platformOf = (entry: Record<string, unknown>) => (isRecord(entry['platform']) ? entry['platform'] : {});
  const chosen =
    entries.find((entry) => platformOf(entry)['os'] === 'linux' && platformOf(entry)['architecture'] === 'amd64') ??
    // Attestation manifests (BuildKit provenance) carry platform unknown/unknown.
    entries.find((entry) => platformOf(entry)['os'] !== 'unknown');
  const digest = chosen?.['digest'];
  if (typeof digest !== 'string' || !DIGEST.test(digest)) throw new OciProblem('the image index lists no platform manifest with a sha256 digest');
  return digest;
}

/** Requests against one repository, with one anonymous bearer token fetched on the first 401. */
class OciSession {
  private token: string | null = null;

  constructor(
    private readonly check: PackageCheck,
    private readonly apiBase: string,
    private readonly reference: OciReference,
  ) {}

  async getJson(resource: string, accept: string[], maxBytes: number, expectedDigest: string | null): Promise<{ json: unknown; response: FetchResponse }> {
    const url = `${this.apiBase}/v2/${this.reference.repository}/${resource}`;
    const response = await this.get(url, accept, maxBytes);
    // Content addressed by digest must hash to it: a registry (or a CDN behind a redirect) cannot swap it.
    if (expectedDigest !== null && `sha256:${createHash('sha256').update(response.body).digest('hex')}` !== expectedDigest) {
      throw new OciProblem(`${describeUrl(response.url)} returned content that does not match digest ${expectedDigest}`);
    }
    try {
      return { json: JSON.parse(response.body.toString('utf8')) as unknown, response };
    } catch {
      throw new OciProblem(`${describeUrl(response.url)} did not answer with JSON`);
    }
  }

  private async get(url: string, accept: string[], maxBytes: number): Promise<FetchResponse> {
    try {
      return await this.check.fetcher.get({ url, maxBytes, headers: this.headers(accept) });
    } catch (error) {
      const challenge = error instanceof FetchError && error.status === 401 && this.token === null ? parseBearerChallenge(error.headers['www-authenticate']) : null;
      if (challenge === null) throw error;
      this.token = await this.anonymousToken(challenge);
      return this.check.fetcher.get({ url, maxBytes, headers: this.headers(accept) });
    }
  }

  private headers(accept: string[]): Record<string, string> {
    return { accept: accept.join(', '), ...(this.token === null ? {} : { authorization: `Bearer ${this.token}` }) };
  }

  private async anonymousToken(challenge: BearerChallenge): Promise<string> {
    let url: URL;
    try {
      url = new URL(challenge.realm);
    } catch {
      throw new OciProblem(`the registry's token realm '${challenge.realm}' is not a URL`);
    }
    if (challenge.service !== null) url.searchParams.set('service', challenge.service);
    url.searchParams.set('scope', `repository:${this.reference.repository}:pull`);
    const response = await this.check.fetcher.get({ url: url.href, maxBytes: this.check.maxDocumentBytes, headers: { accept: 'application/json' } });
    let body: unknown;
    try {
      body = JSON.parse(response.body.toString('utf8'));
    } catch {
      throw new OciProblem(`the token service ${describeUrl(response.url)} did not answer with JSON`);
    }
    // The spec names the field `token`; OAuth2-style services send `access_token`.
    const token = isRecord(body) ? (body['token'] ?? body['access_token']) : undefined;
    if (typeof token !== 'string' || token === '') throw new OciProblem(`the token service ${describeUrl(response.url)} issued no token`);
    return token;
  }
}

/** `https://<api host>`, or the scheme an allowed registry URL gives that host (an internal plain-http registry). */
function apiBaseOf(reference: OciReference, allowedRegistryUrls: readonly string[]): string | null {
  for (const entry of allowedRegistryUrls) {
    const url = new URL(entry);
    if (url.host === reference.registry || url.host === reference.apiHost) return `${url.protocol}//${reference.apiHost}`;
  }
  const host = reference.registry;
  if (PUBLIC_REGISTRIES.has(host) || PUBLIC_REGISTRY_SUFFIXES.some((suffix) => host.endsWith(suffix))) return `https://${reference.apiHost}`;
  return null;
}

function allowedRegistries(allowedRegistryUrls: readonly string[]): string[] {
  return ['docker.io', 'ghcr.io', 'quay.io', 'mcr.microsoft.com', ...PUBLIC_REGISTRY_SUFFIXES.map((suffix) => `*${suffix}`), ...allowedRegistryUrls.map((entry) => new URL(entry).host)];
}
