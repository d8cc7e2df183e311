import { createHash } from 'node:crypto';
import { SERVER_NAME, checkOf } from './__fixtures__/package-check';
import { type FetchRequest, InMemoryPackageFetcher } from '@toolport/platform';
import { OCI_SERVER_NAME_LABEL, ociValidator } from './oci.validator';

const sha = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const API = 'https://ghcr.io/v2/acme/thing';
const CHALLENGE = { 'www-authenticate': 'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:acme/thing:pull"' };
const TOKEN_URL = 'https://ghcr.io/token?service=ghcr.io&scope=repository%3Aacme%2Fthing%3Apull';

function image(labels: Record<string, string> | null) {
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: labels === null ? {} : { Labels: labels } }));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.byteLength },
      layers: [],
    }),
  );
  return { config, configDigest: sha(config), manifest, manifestDigest: sha(manifest) };
}

/** A registry that wants an anonymous bearer token for everything but the token endpoint. */
function registry(labels: Record<string, string> | null, { tag = '1.0.0', api = API } = {}) {
  const img = image(labels);
  const authorized = (answer: { body: Buffer; headers?: Record<string, string> }) => (request: FetchRequest) =>
    request.headers?.['authorization'] === 'Bearer anon-token' ? answer : { status: 401, headers: CHALLENGE, body: { errors: [{ code: 'UNAUTHORIZED' }] } };
  const fetcher = new InMemoryPackageFetcher()
    .on(TOKEN_URL, { body: { token: 'anon-token' } })
    .on(`${api}/manifests/${tag}`, authorized({ body: img.manifest, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } }))
    .on(`${api}/manifests/${img.manifestDigest}`, authorized({ body: img.manifest }))
    .on(`${api}/blobs/${img.configDigest}`, authorized({ body: img.config }));
  return { fetcher, img };
}

function run(fetcher: InMemoryPackageFetcher, identifier = 'ghcr.io/acme/thing:1.0.0', allowedRegistryUrls: string[] = []) {
  return ociValidator.validate(checkOf({ registryType: 'oci', identifier }, fetcher, { allowedRegistryUrls }));
}

describe('OCI validator', () => {
  it('gets an anonymous token on the first 401, then reads the label from the config blob', async () => {
    const { fetcher, img } = registry({ [OCI_SERVER_NAME_LABEL]: SERVER_NAME });
    await expect(run(fetcher)).resolves.toEqual([]);
    expect(fetcher.requests.map((r) => [r.url, r.headers?.['authorization'] ?? null])).toEqual([
      [`${API}/manifests/1.0.0`, null],
      [TOKEN_URL, null],
      [`${API}/manifests/1.0.0`, 'Bearer anon-token'],
      [`${API}/blobs/${img.configDigest}`, 'Bearer anon-token'],
    ]);
    expect(fetcher.requests[0]?.headers?.['accept']).toContain('application/vnd.oci.image.index.v1+json');
  });

  it('says what label it found, or how to add a missing one', async () => {
    const [mismatch] = await run(registry({ [OCI_SERVER_NAME_LABEL]: 'io.github.other/x' }).fetcher);
    expect(mismatch).toEqual({
      path: 'packages[0].identifier',
      severity: 'error',
      message: `OCI image ownership validation failed. Expected annotation '${OCI_SERVER_NAME_LABEL}' = '${SERVER_NAME}', got 'io.github.other/x'`,
    });
    for (const labels of [null, { 'org.opencontainers.image.title': 'thing' }]) {
      const [missing] = await run(registry(labels).fetcher);
      expect(missing?.message).toBe(`OCI image 'ghcr.io/acme/thing:1.0.0' is missing required annotation. Add this to your Dockerfile: LABEL ${OCI_SERVER_NAME_LABEL}="${SERVER_NAME}"`);
    }
  });

  it('follows an image index to the linux/amd64 manifest', async () => {
    const { fetcher, img } = registry({ [OCI_SERVER_NAME_LABEL]: SERVER_NAME });
    const index = {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { digest: `sha256:${'0'.repeat(64)}`, platform: { os: 'unknown', architecture: 'unknown' } },
        { digest: `sha256:${'1'.repeat(64)}`, platform: { os: 'linux', architecture: 'arm64' } },
        { digest: img.manifestDigest, platform: { os: 'linux', architecture: 'amd64' } },
      ],
    };
    fetcher.on(`${API}/manifests/1.0.0`, { body: index });
    await expect(run(fetcher)).resolves.toEqual([]);
    expect(fetcher.requests.map((r) => r.url)).toContain(`${API}/manifests/${img.manifestDigest}`);
  });

  it('checks content fetched by digest against the digest', async () => {
    const { fetcher, img } = registry({ [OCI_SERVER_NAME_LABEL]: SERVER_NAME });
    fetcher.on(`${API}/blobs/${img.configDigest}`, { body: { config: { Labels: { [OCI_SERVER_NAME_LABEL]: SERVER_NAME } } } });
    const [issue] = await run(fetcher);
    expect(issue?.message).toBe(`OCI image 'ghcr.io/acme/thing:1.0.0': ${API}/blobs/${img.configDigest} returned content that does not match digest ${img.configDigest}`);
    const pinned = registry({ [OCI_SERVER_NAME_LABEL]: SERVER_NAME }, { tag: img.manifestDigest });
    await expect(run(pinned.fetcher, `ghcr.io/acme/thing@${img.manifestDigest}`)).resolves.toEqual([]);
  });

  it('skips the check with a warning when the registry rate-limits (the official behaviour)', async () => {
    const fetcher = new InMemoryPackageFetcher().on(`${API}/manifests/1.0.0`, { status: 429 });
    await expect(run(fetcher)).resolves.toEqual([
      { path: 'packages[0].identifier', severity: 'warning', message: `OCI registry ${API}/manifests/1.0.0 rate-limited the check (429): ownership of image 'ghcr.io/acme/thing:1.0.0' was not verified` },
    ]);
  });

  it('reports private or missing images as not accessible', async () => {
    const basic = new InMemoryPackageFetcher().on(`${API}/manifests/1.0.0`, { status: 401, headers: { 'www-authenticate': 'Basic realm="Registry"' } });
    const unknown = registry({}, { tag: 'other' }).fetcher;
    for (const fetcher of [basic, unknown]) {
      const [issue] = await run(fetcher);
      expect(issue?.message).toMatch(/^OCI image 'ghcr.io\/acme\/thing:1.0.0' not found or not accessible \(status: 40[14]\); only public images can be verified$/);
    }
  });

  it('queries Docker Hub through registry-1.docker.io with library/ for official images', async () => {
    const fetcher = new InMemoryPackageFetcher().on('https://registry-1.docker.io/v2/library/nginx/manifests/latest', { status: 404 });
    const [issue] = await run(fetcher, 'nginx');
    expect(issue?.message).toContain("OCI image 'nginx' not found or not accessible (status: 404)");
  });

  it('refuses unknown registries and invalid references without a request', async () => {
    const fetcher = new InMemoryPackageFetcher();
    const [unknown] = await run(fetcher, 'registry.example.com/acme/thing:1');
    expect(unknown?.message).toBe('unsupported OCI registry: registry.example.com. Allowed: docker.io, ghcr.io, quay.io, mcr.microsoft.com, *.pkg.dev, *.azurecr.io');
    const [invalid] = await run(fetcher, 'Not A Reference');
    expect(invalid?.message).toContain("invalid OCI reference 'Not A Reference'");
    expect(fetcher.requests).toEqual([]);
  });

  it('accepts a registry from the allow-list, over plain http when the entry says so', async () => {
    const api = 'http://127.0.0.1:5000/v2/acme/thing';
    const { fetcher } = registry({ [OCI_SERVER_NAME_LABEL]: SERVER_NAME }, { api });
    await expect(run(fetcher, '127.0.0.1:5000/acme/thing:1.0.0', ['http://127.0.0.1:5000'])).resolves.toEqual([]);
  });

  it('reports a token service that issues no token', async () => {
    const { fetcher } = registry({ [OCI_SERVER_NAME_LABEL]: SERVER_NAME });
    fetcher.on(TOKEN_URL, { body: { nothing: true } });
    const [issue] = await run(fetcher);
    expect(issue?.message).toBe("OCI image 'ghcr.io/acme/thing:1.0.0': the token service https://ghcr.io/token issued no token");
  });
});

describe('OCI validator with the pre-2025-10-11 format', () => {
  it('takes the tag from version when the identifier has none', async () => {
    const { fetcher } = registry({ [OCI_SERVER_NAME_LABEL]: SERVER_NAME }, { tag: '2.1.0' });
    await expect(ociValidator.validate(checkOf({ registryType: 'oci', identifier: 'ghcr.io/acme/thing', version: '2.1.0' }, fetcher))).resolves.toEqual([]);
    const [issue] = await ociValidator.validate(checkOf({ registryType: 'oci', identifier: 'ghcr.io/acme/thing', version: '1.0 beta' }, new InMemoryPackageFetcher()));
    expect(issue?.message).toBe("OCI image 'ghcr.io/acme/thing': version '1.0 beta' is not a valid image tag");
  });
});
