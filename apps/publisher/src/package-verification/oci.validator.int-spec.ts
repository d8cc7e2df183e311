import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Package, ServerDetail } from '@toolport/contracts';
import { SERVER_NAME, optionsFrom } from './__fixtures__/package-check';
import { type LoopbackServer, sendJson, startLoopbackServer } from '@toolport/testing';
import { OCI_SERVER_NAME_LABEL } from './oci.validator';
import { verifyPackages } from './package-verification';
import { createVerificationFetcher } from './verification-fetcher';

const sha = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';

interface Image {
  config: Buffer;
  manifest: Buffer;
}

function image(label: string | null): Image {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Env: ['PATH=/bin'], Labels: label === null ? null : { [OCI_SERVER_NAME_LABEL]: label } }, rootfs: { type: 'layers', diff_ids: [] } }));
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.byteLength }, layers: [] }));
  return { config, manifest };
}

/** repository → its single tag `1.0.0`; `acme/thing` is multi-platform (served as an index). */
const IMAGES: Record<string, Image> = { 'acme/thing': image(SERVER_NAME), 'acme/mismatch': image('io.github.mallory/thing'), 'acme/unlabelled': image(null) };
const thingIndex = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [
      { mediaType: OCI_MANIFEST, digest: `sha256:${'a'.repeat(64)}`, size: 1, platform: { os: 'linux', architecture: 'arm64' } },
      { mediaType: OCI_MANIFEST, digest: sha((IMAGES['acme/thing'] as Image).manifest), size: 1, platform: { os: 'linux', architecture: 'amd64' } },
      { mediaType: OCI_MANIFEST, digest: `sha256:${'b'.repeat(64)}`, size: 1, platform: { os: 'unknown', architecture: 'unknown' } },
    ],
  }),
);

let auth: LoopbackServer;
let registry: LoopbackServer;
let cdn: LoopbackServer;
// The production client, address policy included: the test registries on 127.0.0.1 are configured
// registry hosts (trusted), as an operator's internal registry would be.
// Loopback allowed as a range: these suites test the validators, verification-fetcher.int-spec.ts the guard.
const fetcher = createVerificationFetcher(optionsFrom({ TOOLPORT_PUBLISHER_ALLOW_CIDRS: '127.0.0.0/8', TOOLPORT_VERIFY_TIMEOUT_MS: '5000' }));

function send(response: ServerResponse, body: Buffer, contentType: string): void {
  response.writeHead(200, { 'content-type': contentType, 'content-length': String(body.byteLength), 'docker-content-digest': sha(body) });
  response.end(body);
}

/** The distribution API v2 with the token flow of Docker Hub and GHCR: anonymous pulls need a bearer token. */
function distribution(request: IncomingMessage, response: ServerResponse): void {
  const match = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(request.url ?? '');
  const repository = match?.[1] ?? '';
  if (repository === 'acme/busy') return sendJson(response, 429, { errors: [{ code: 'TOOMANYREQUESTS' }] });
  if (request.headers.authorization !== `Bearer anon:${repository}` || repository === 'acme/private') {
    return sendJson(response, 401, { errors: [{ code: 'UNAUTHORIZED' }] }, { 'www-authenticate': `Bearer realm="${auth.url}/token",service="loopback-registry",scope="repository:${repository}:pull"` });
  }
  const img = IMAGES[repository];
  const [, , kind, reference] = match ?? [];
  if (!img) return sendJson(response, 404, { errors: [{ code: 'NAME_UNKNOWN' }] });
  if (kind === 'manifests' && reference === '1.0.0') return repository === 'acme/thing' ? send(response, thingIndex, OCI_INDEX) : send(response, img.manifest, OCI_MANIFEST);
  if (kind === 'manifests' && reference === sha(img.manifest)) return send(response, img.manifest, OCI_MANIFEST);
  // Blobs live behind a redirect to a CDN with its own signed URLs, as on Docker Hub and GHCR.
  if (kind === 'blobs' && reference === sha(img.config)) return void response.writeHead(307, { location: `${cdn.url}/blobs/${reference}?signature=loopback` }).end();
  sendJson(response, 404, { errors: [{ code: 'MANIFEST_UNKNOWN' }] });
}

beforeAll(async () => {
  auth = await startLoopbackServer((request, response) => {
    const url = new URL(request.url ?? '', auth.url);
    const repository = /^repository:(.+):pull$/.exec(url.searchParams.get('scope') ?? '')?.[1];
    if (url.pathname !== '/token' || url.searchParams.get('service') !== 'loopback-registry' || !repository) return sendJson(response, 400, { error: 'bad token request' });
    sendJson(response, 200, { token: `anon:${repository}`, expires_in: 300 });
  });
  cdn = await startLoopbackServer((request, response) => {
    // The registry's token must not travel to the CDN.
    if (request.headers.authorization) return sendJson(response, 400, { error: 'unexpected Authorization' });
    const digest = /^\/blobs\/([^?]+)\?signature=loopback$/.exec(request.url ?? '')?.[1];
    const img = Object.values(IMAGES).find((candidate) => sha(candidate.config) === digest);
    if (!img) return sendJson(response, 404, { error: 'no such blob' });
    send(response, img.config, 'application/octet-stream');
  });
  registry = await startLoopbackServer(distribution);
});

afterAll(async () => {
  await Promise.all([auth.close(), registry.close(), cdn.close()]);
});

const host = () => registry.url.replace('http://', '');
const oci = (repository: string): Package => ({ registryType: 'oci', identifier: `${host()}/${repository}:1.0.0`, transport: { type: 'stdio' } });
const server = (...packages: Package[]): ServerDetail => ({ name: SERVER_NAME, description: 'x', version: '1.0.0', packages });
const options = () => optionsFrom({ TOOLPORT_VERIFY_OCI: 'true', TOOLPORT_ALLOWED_REGISTRY_URLS: registry.url });

describe('OCI ownership against a loopback distribution API with token auth', () => {
  it('reads the label through token, index, platform manifest and redirected config blob', async () => {
    await expect(verifyPackages(server(oci('acme/thing')), options(), fetcher)).resolves.toEqual([]);
    expect(auth.requests.map((r) => new URL(r.url, auth.url).searchParams.get('scope'))).toContain('repository:acme/thing:pull');
    expect(cdn.requests.map((r) => r.headers.authorization ?? null)).toEqual([null]);
  });

  it('names the label it found, or how to add a missing one', async () => {
    await expect(verifyPackages(server(oci('acme/mismatch'), oci('acme/unlabelled')), options(), fetcher)).resolves.toEqual([
      {
        path: 'packages[0].identifier',
        severity: 'error',
        message: `OCI image ownership validation failed. Expected annotation '${OCI_SERVER_NAME_LABEL}' = '${SERVER_NAME}', got 'io.github.mallory/thing'`,
      },
      {
        path: 'packages[1].identifier',
        severity: 'error',
        message: `OCI image '${host()}/acme/unlabelled:1.0.0' is missing required annotation. Add this to your Dockerfile: LABEL ${OCI_SERVER_NAME_LABEL}="${SERVER_NAME}"`,
      },
    ]);
  });

  it('skips a rate-limited registry with a warning, and refuses private or unknown images', async () => {
    await expect(verifyPackages(server(oci('acme/busy'), oci('acme/private'), oci('acme/unknown')), options(), fetcher)).resolves.toEqual([
      {
        path: 'packages[0].identifier',
        severity: 'warning',
        message: `OCI registry ${registry.url}/v2/acme/busy/manifests/1.0.0 rate-limited the check (429): ownership of image '${host()}/acme/busy:1.0.0' was not verified`,
      },
      { path: 'packages[1].identifier', severity: 'error', message: `OCI image '${host()}/acme/private:1.0.0' not found or not accessible (status: 401); only public images can be verified` },
      { path: 'packages[2].identifier', severity: 'error', message: `OCI image '${host()}/acme/unknown:1.0.0' not found or not accessible (status: 404); only public images can be verified` },
    ]);
  });

  it('contacts no registry by default (OCI verification is off) nor one that is not allowed', async () => {
    const before = registry.requests.length;
    await expect(verifyPackages(server(oci('acme/thing')), optionsFrom(), fetcher)).resolves.toEqual([]);
    const [issue] = await verifyPackages(server(oci('acme/thing')), optionsFrom({ TOOLPORT_VERIFY_OCI: 'true' }), fetcher);
    expect(issue?.message).toBe(`unsupported OCI registry: ${host()}. Allowed: docker.io, ghcr.io, quay.io, mcr.microsoft.com, *.pkg.dev, *.azurecr.io`);
    expect(registry.requests.length).toBe(before);
  });
});
