import { createHash } from 'node:crypto';
import type { Package, ServerDetail } from '@toolport/contracts';
import { SERVER_NAME, optionsFrom } from './__fixtures__/package-check';
import { InMemoryPackageFetcher } from '@toolport/platform';
import { ownershipProven, packageVerificationError, verifyPackages } from './package-verification';
import { PackageVerifier } from './package-verifier';

const stdio = { type: 'stdio' } as const;
const npm = (extra: Partial<Package> = {}): Package => ({ registryType: 'npm', identifier: 'thing', version: '1.0.0', transport: stdio, ...extra });
const pypi = (extra: Partial<Package> = {}): Package => ({ registryType: 'pypi', identifier: 'thing', version: '1.0.0', transport: stdio, ...extra });
const server = (...packages: Package[]): ServerDetail => ({ name: SERVER_NAME, description: 'x', version: '1.0.0', packages });

/** A fetcher where `thing@1.0.0` belongs to the server on npmjs, PyPI and an internal Verdaccio. */
function registries(): InMemoryPackageFetcher {
  return new InMemoryPackageFetcher()
    .on('https://registry.npmjs.org/thing/1.0.0', { body: { version: '1.0.0', mcpName: SERVER_NAME } })
    .on('http://verdaccio.internal:4873/thing/1.0.0', { body: { version: '1.0.0', mcpName: SERVER_NAME } })
    .on('https://pypi.org/pypi/thing/1.0.0/json', { body: { info: { description: `mcp-name: ${SERVER_NAME}` } } });
}

describe('verifyPackages', () => {
  it('checks every package against its default registry, in order, with paths per package', async () => {
    const fetcher = registries();
    const issues = await verifyPackages(server(npm(), pypi(), npm({ identifier: 'other' })), optionsFrom(), fetcher);
    expect(issues).toEqual([{ path: 'packages[2].identifier', severity: 'error', message: "NPM package 'other' not found at https://registry.npmjs.org (status: 404)" }]);
    expect(fetcher.requests.map((r) => r.url)).toEqual(
      expect.arrayContaining(['https://registry.npmjs.org/thing/1.0.0', 'https://pypi.org/pypi/thing/1.0.0/json', 'https://registry.npmjs.org/other/1.0.0']),
    );
  });

  it('uses the configured default registry URLs', async () => {
    const fetcher = new InMemoryPackageFetcher().on('https://npm.mirror.example/thing/1.0.0', { body: { mcpName: SERVER_NAME } });
    await expect(verifyPackages(server(npm()), optionsFrom({ TOOLPORT_NPM_REGISTRY_URL: 'https://npm.mirror.example/' }), fetcher)).resolves.toEqual([]);
  });

  it('accepts a registryBaseUrl that is the default (in any spelling) or on the allow-list', async () => {
    const options = optionsFrom({ TOOLPORT_ALLOWED_REGISTRY_URLS: 'http://verdaccio.internal:4873/' });
    const fetcher = registries();
    const packages = [npm({ registryBaseUrl: 'https://REGISTRY.npmjs.org/' }), npm({ registryBaseUrl: 'http://verdaccio.internal:4873' })];
    await expect(verifyPackages(server(...packages), options, fetcher)).resolves.toEqual([]);
    expect(fetcher.requests.map((r) => r.url).sort()).toEqual(['http://verdaccio.internal:4873/thing/1.0.0', 'https://registry.npmjs.org/thing/1.0.0']);
  });

  it('refuses a registryBaseUrl outside the allowed ones, naming them, without a request', async () => {
    const fetcher = registries();
    const options = optionsFrom({ TOOLPORT_ALLOWED_REGISTRY_URLS: 'http://verdaccio.internal:4873' });
    const issues = await verifyPackages(server(pypi(), npm({ registryBaseUrl: 'https://evil.example' }), npm({ registryBaseUrl: 'https://user:pw@registry.npmjs.org' })), options, fetcher);
    expect(issues).toEqual([
      {
        path: 'packages[1].registryBaseUrl',
        severity: 'error',
        message: "registry base URL 'https://evil.example' is not allowed for npm packages. Allowed: https://registry.npmjs.org, http://verdaccio.internal:4873",
      },
      {
        path: 'packages[2].registryBaseUrl',
        severity: 'error',
        message: "registry base URL 'https://user:pw@registry.npmjs.org' is not allowed for npm packages. Allowed: https://registry.npmjs.org, http://verdaccio.internal:4873",
      },
    ]);
    expect(fetcher.requests.map((r) => r.url)).toEqual(['https://pypi.org/pypi/thing/1.0.0/json']);
  });

  it('skips disabled ecosystems; everything when verification is off; OCI unless turned on', async () => {
    const oci: Package = { registryType: 'oci', identifier: 'ghcr.io/acme/thing:1', transport: stdio };
    const all = server(npm({ identifier: 'missing' }), pypi({ identifier: 'missing' }), oci);
    const fetcher = new InMemoryPackageFetcher();
    const npmOff = await verifyPackages(all, optionsFrom({ TOOLPORT_VERIFY_NPM: 'false' }), fetcher);
    expect(npmOff.map((issue) => issue.path)).toEqual(['packages[1].identifier']);
    expect(fetcher.requests.some((r) => r.url.includes('ghcr.io'))).toBe(false);
    await expect(verifyPackages(all, optionsFrom({ TOOLPORT_VERIFY_PACKAGES: 'false', TOOLPORT_VERIFY_OCI: 'true' }), fetcher)).resolves.toEqual([]);
    const ociOn = await verifyPackages(server(oci), optionsFrom({ TOOLPORT_VERIFY_OCI: 'true' }), fetcher);
    expect(ociOn[0]?.message).toContain('not found or not accessible');
  });

  it('warns about ecosystems it cannot verify and about a registryBaseUrl that mcpb ignores', async () => {
    const bundle = Buffer.from('bundle');
    const url = 'https://github.com/acme/thing-mcp/releases/download/v1/thing.mcpb';
    const fetcher = new InMemoryPackageFetcher().on(url, { body: bundle });
    const mcpb: Package = { registryType: 'mcpb', identifier: url, registryBaseUrl: 'https://github.com', fileSha256: createHash('sha256').update(bundle).digest('hex'), transport: stdio };
    const nuget: Package = { registryType: 'nuget', identifier: 'Acme.Thing', version: '1.0.0', transport: stdio };
    await expect(verifyPackages(server(nuget, mcpb), optionsFrom(), fetcher)).resolves.toEqual([
      { path: 'packages[0].registryType', severity: 'warning', message: "ownership of 'nuget' packages is not verified by this registry" },
      { path: 'packages[1].registryBaseUrl', severity: 'warning', message: 'registryBaseUrl is ignored for mcpb packages: the identifier says where the package is' },
    ]);
  });

  it('returns nothing for a server without packages', async () => {
    await expect(verifyPackages({ name: SERVER_NAME, description: 'x', version: '1' }, optionsFrom(), new InMemoryPackageFetcher())).resolves.toEqual([]);
  });

  it('checks many packages with bounded concurrency and keeps their order', async () => {
    let running = 0;
    let peak = 0;
    const fetcher = new InMemoryPackageFetcher();
    const packages = Array.from({ length: 10 }, (_, i) => npm({ identifier: `p${i}` }));
    for (let i = 0; i < 10; i += 1) fetcher.on(`https://registry.npmjs.org/p${i}/1.0.0`, { body: { mcpName: `wrong-${i}` } });
    const slow = { get: async (request: Parameters<typeof fetcher.get>[0]) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      return fetcher.get(request);
    } };
    const issues = await verifyPackages(server(...packages), optionsFrom(), slow);
    expect(issues.map((issue) => issue.path)).toEqual(packages.map((_, i) => `packages[${i}].identifier`));
    expect(issues.map((issue) => issue.message.match(/got '([^']+)'/)?.[1])).toEqual(packages.map((_, i) => `wrong-${i}`));
    expect(peak).toBe(4);
  });

  it('is what PackageVerifier.verify runs', async () => {
    const verifier = new PackageVerifier(optionsFrom(), registries());
    await expect(verifier.verify(server(npm(), pypi()))).resolves.toEqual([]);
  });
});

describe('packageVerificationError', () => {
  it('is null without errors, 400-kind for ownership failures, 503-kind when every error is transient', () => {
    expect(packageVerificationError([{ path: 'packages[0]', severity: 'warning', message: 'w' }])).toBeNull();
    const failed = packageVerificationError([
      { path: 'packages[0]', severity: 'error', message: 'later', retryable: true },
      { path: 'packages[1].identifier', severity: 'error', message: 'not yours' },
    ]);
    expect(failed).toMatchObject({ kind: 'invalid', code: 'PACKAGE_VERIFICATION_FAILED', errors: [{ message: 'later', location: 'packages[0]' }, { message: 'not yours', location: 'packages[1].identifier' }] });
    expect(packageVerificationError([{ path: 'packages[0]', severity: 'error', message: 'later', retryable: true }])).toMatchObject({ kind: 'unavailable', code: 'PACKAGE_VERIFICATION_UNAVAILABLE' });
  });
});

describe('ownershipProven (VersionPublished.ownershipVerified)', () => {
  const oci = (): Package => ({ registryType: 'oci', identifier: 'ghcr.io/acme/thing:1.0.0', transport: stdio });
  const nuget = (): Package => ({ registryType: 'nuget', identifier: 'Thing', version: '1.0.0', transport: stdio });

  it('holds when every package was checked by an enabled validator', () => {
    expect(ownershipProven(server(npm(), pypi()), optionsFrom())).toBe(true);
    expect(new PackageVerifier(optionsFrom(), registries()).provesOwnership(server(npm()))).toBe(true);
  });

  it('does not hold without packages, with checks off, or for an ecosystem that was not checked', () => {
    expect(ownershipProven(server(), optionsFrom())).toBe(false);
    expect(ownershipProven(server(npm()), optionsFrom({ TOOLPORT_VERIFY_PACKAGES: 'false' }))).toBe(false);
    expect(ownershipProven(server(npm(), pypi()), optionsFrom({ TOOLPORT_VERIFY_PYPI: 'false' }))).toBe(false);
    expect(ownershipProven(server(npm(), oci()), optionsFrom())).toBe(false); // OCI checks are off by default
    expect(ownershipProven(server(npm(), nuget()), optionsFrom())).toBe(false);
  });
});
