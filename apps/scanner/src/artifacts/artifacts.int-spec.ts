import { createHash } from 'node:crypto';
import net from 'node:net';
import type { Package } from '@toolport/contracts';
import { EnvReader } from '@toolport/config';
import { type LoopbackServer, sendJson, startLoopbackServer, startVerdaccio, type Verdaccio } from '@toolport/testing';
import { tgz, zipArchive } from './__fixtures__/archive-builders';
import { tempFolder } from './__fixtures__/temp-files';
import { ArtifactFetchError, createArtifactHttpFetcher, fetchArtifact, readArtifactConfig } from './index';

const temp = tempFolder('artifacts-int');
let verdaccio: Verdaccio;
let registry: LoopbackServer;

const stdio = { type: 'stdio' as const };
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const sha512 = (bytes: Buffer) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
const rules = (result: { findings: Array<{ ruleId: string; severity: string }> }) => result.findings.map((f) => `${f.ruleId}/${f.severity}`);

// Verdaccio and the loopback registry live on 127.0.0.1, which the scanner refuses by default.
const LOOPBACK_ALLOWED = { TOOLPORT_SCANNER_ALLOW_CIDRS: '127.0.0.0/8' };

function deps(env: Record<string, string> = {}) {
  const config = { ...readArtifactConfig(new EnvReader({ TOOLPORT_SCANNER_NPM_REGISTRY: verdaccio.url, TOOLPORT_SCANNER_PYPI_URL: registry.url, ...LOOPBACK_ALLOWED, ...env })), tempDir: temp.dir };
  return { fetcher: createArtifactHttpFetcher(config), config };
}
const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a rejection'); }, (error: unknown) => error as ArtifactFetchError);

// Files a PyPI, an mcpb host and a tampering npm mirror would serve, built by the test.
const sdist = tgz([{ name: 'demo-1.0.0/pyproject.toml', data: '[project]\nname = "demo"\n' }, { name: 'demo-1.0.0/demo/server.py', data: 'print("mcp")\n' }]);
const wheel = zipArchive([{ name: 'demo/server.py', data: 'print("mcp")\n' }, { name: 'demo-1.0.0.dist-info/METADATA', data: 'Name: demo\n' }]);
const bundle = zipArchive([{ name: 'manifest.json', data: '{"manifest_version":"0.2","name":"demo"}' }, { name: 'server/index.js', data: 'start()\n' }]);
const hostileBundle = zipArchive([{ name: 'manifest.json', data: '{}' }, { name: '../../.config/autostart/x.desktop', data: 'Exec=sh' }]);
const hostileTarball = tgz([{ name: 'package/package.json', data: '{}' }, { name: 'package/run', data: 'x', mode: 0o4755 }]);

beforeAll(async () => {
  verdaccio = await startVerdaccio();
  await verdaccio.publish({ name: 'toolport-artifact-demo', version: '1.0.0', main: 'index.js' }, { 'index.js': 'module.exports = () => "hello";\n', 'lib/util.js': 'exports.x = 1;\n' });
  await verdaccio.publish({ name: '@toolport-test/scoped', version: '2.1.0' }, { 'index.js': 'export {};\n' });
  registry = await startLoopbackServer((request, response) => {
    const url = request.url ?? '';
    const file = (bytes: Buffer) => void response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.byteLength) }).end(bytes);
    // PyPI JSON API and files
    if (url === '/pypi/demo/1.0.0/json') {
      return sendJson(response, 200, {
        info: { name: 'demo', version: '1.0.0' },
        urls: [
          { filename: 'demo-1.0.0-py3-none-any.whl', packagetype: 'bdist_wheel', url: `${registry.url}/files/demo-1.0.0-py3-none-any.whl`, digests: { sha256: sha256(wheel) } },
          { filename: 'demo-1.0.0.tar.gz', packagetype: 'sdist', url: `${registry.url}/files/demo-1.0.0.tar.gz`, digests: { sha256: sha256(sdist) } },
        ],
      });
    }
    if (url === '/pypi/wheelonly/1.0.0/json') {
      return sendJson(response, 200, { urls: [{ filename: 'wheelonly-1.0.0-py3-none-any.whl', packagetype: 'bdist_wheel', url: `${registry.url}/files/demo-1.0.0-py3-none-any.whl`, digests: { sha256: sha256(wheel) } }] });
    }
    if (url === '/files/demo-1.0.0.tar.gz') return file(sdist);
    if (url === '/files/demo-1.0.0-py3-none-any.whl') return file(wheel);
    if (url === '/bundles/demo.mcpb') return file(bundle);
    if (url === '/bundles/hostile.mcpb') return file(hostileBundle);
    // An npm mirror that lies: the real tarball from Verdaccio under someone else's integrity.
    if (url === '/npm/toolport-artifact-demo/1.0.0') {
      return void fetch(`${verdaccio.url}/toolport-artifact-demo/1.0.0`)
        .then((real) => real.json() as Promise<{ dist: Record<string, string> }>)
        .then((doc) => sendJson(response, 200, { ...doc, dist: { ...doc.dist, integrity: sha512(Buffer.from('not the tarball')) } }));
    }
    if (url === '/npm/hostile/1.0.0') return sendJson(response, 200, { name: 'hostile', version: '1.0.0', dist: { tarball: `${registry.url}/npm/hostile/-/hostile-1.0.0.tgz`, integrity: sha512(hostileTarball) } });
    if (url === '/npm/hostile/-/hostile-1.0.0.tgz') return file(hostileTarball);
    // Version documents whose tarball points inside the network: the scanner must never connect there.
    if (url === '/npm/to-metadata/1.0.0') return sendJson(response, 200, { name: 'to-metadata', version: '1.0.0', dist: { tarball: 'http://169.254.169.254/latest/meta-data/iam/x.tgz', integrity: sha512(hostileTarball) } });
    if (url === '/npm/to-private/1.0.0') return sendJson(response, 200, { name: 'to-private', version: '1.0.0', dist: { tarball: 'http://10.0.0.1/to-private-1.0.0.tgz', integrity: sha512(hostileTarball) } });
    if (url === '/npm/via-redirect/1.0.0') return sendJson(response, 200, { name: 'via-redirect', version: '1.0.0', dist: { tarball: `${registry.url}/npm/via-redirect/-/x.tgz`, integrity: sha512(hostileTarball) } });
    if (url === '/npm/via-redirect/-/x.tgz') return void response.writeHead(302, { location: 'http://[::ffff:169.254.169.254]/latest/meta-data/' }).end();
    if (url.startsWith('/down/')) return sendJson(response, 503, { error: 'maintenance' });
    if (url.startsWith('/stall/')) return; // never answers
    sendJson(response, 404, { error: 'not found' });
  });
}, 120_000);

afterAll(async () => {
  await registry?.close();
  await verdaccio?.stop();
  temp.cleanup();
});

describe('npm artifacts from a real Verdaccio', () => {
  it('fetches a published version, verifies dist.integrity and unpacks it without package/', async () => {
    const result = await fetchArtifact({ registryType: 'npm', identifier: 'toolport-artifact-demo', version: '1.0.0', transport: stdio }, deps());
    expect(result.findings).toEqual([]);
    expect(result.integrityVerified).toBe(true);
    expect(result.contents).toMatchObject({ ecosystem: 'npm', identifier: 'toolport-artifact-demo', version: '1.0.0' });
    const files = Object.fromEntries(result.contents!.files.map((f) => [f.path, f.text]));
    expect(Object.keys(files).sort()).toEqual(['README.md', 'index.js', 'lib/util.js', 'package.json']);
    expect(files['index.js']).toBe('module.exports = () => "hello";\n');
    expect(JSON.parse(files['package.json']!)).toMatchObject({ name: 'toolport-artifact-demo', version: '1.0.0' });
  });

  it('fetches a scoped package through the package registryBaseUrl', async () => {
    const result = await fetchArtifact({ registryType: 'npm', registryBaseUrl: verdaccio.url, identifier: '@toolport-test/scoped', version: '2.1.0', transport: stdio }, deps({ TOOLPORT_SCANNER_NPM_REGISTRY: registry.url }));
    expect(result.integrityVerified).toBe(true);
    expect(result.contents!.files.map((f) => f.path)).toContain('index.js');
  });

  it('a version document whose integrity does not match the tarball is critical, with no contents', async () => {
    const result = await fetchArtifact({ registryType: 'npm', registryBaseUrl: `${registry.url}/npm`, identifier: 'toolport-artifact-demo', version: '1.0.0', transport: stdio }, deps());
    expect(result.contents).toBeNull();
    expect(result.integrityVerified).toBe(false);
    expect(rules(result)).toEqual(['TP-ART-001/critical']);
  });

  it('a hostile tarball with a matching integrity is an unsafe-archive finding', async () => {
    const result = await fetchArtifact({ registryType: 'npm', registryBaseUrl: `${registry.url}/npm`, identifier: 'hostile', version: '1.0.0', transport: stdio }, deps());
    expect(result.contents).toBeNull();
    expect(result.findings.map((f) => [f.ruleId, f.location])).toEqual([['TP-ART-002', 'package/run']]);
  });

  it('a missing package or version is permanent', async () => {
    const missing = await failure(fetchArtifact({ registryType: 'npm', identifier: 'toolport-no-such-package', version: '1.0.0', transport: stdio }, deps()));
    expect(missing).toBeInstanceOf(ArtifactFetchError);
    expect([missing.retryable, missing.kind]).toEqual([false, 'not-found']);
    const noVersion = await failure(fetchArtifact({ registryType: 'npm', identifier: 'toolport-artifact-demo', version: '9.9.9', transport: stdio }, deps()));
    expect([noVersion.retryable, noVersion.kind]).toEqual([false, 'not-found']);
  });

  it('a registry answering 503, not answering, or not listening is retryable', async () => {
    const down = await failure(fetchArtifact({ registryType: 'npm', registryBaseUrl: `${registry.url}/down`, identifier: 'x', version: '1.0.0', transport: stdio }, deps()));
    expect([down.retryable, down.kind]).toEqual([true, 'server-error']);
    const stalled = await failure(fetchArtifact({ registryType: 'npm', registryBaseUrl: `${registry.url}/stall`, identifier: 'x', version: '1.0.0', transport: stdio }, deps({ TOOLPORT_SCANNER_FETCH_TIMEOUT_MS: '300' })));
    expect([stalled.retryable, stalled.kind]).toEqual([true, 'timeout']);
    const closed = await startLoopbackServer(() => undefined);
    await closed.close();
    const refused = await failure(fetchArtifact({ registryType: 'npm', registryBaseUrl: closed.url, identifier: 'x', version: '1.0.0', transport: stdio }, deps()));
    expect([refused.retryable, refused.kind]).toEqual([true, 'network']);
  });
});

describe('PyPI and mcpb artifacts from loopback servers', () => {
  const pypi = (identifier: string): Package => ({ registryType: 'pypi', identifier, version: '1.0.0', transport: stdio });

  it('fetches the sdist through the JSON API, checks sha256 and strips its folder', async () => {
    const result = await fetchArtifact(pypi('demo'), deps());
    expect(result).toMatchObject({ integrityVerified: true, findings: [] });
    expect(result.contents!.files.map((f) => [f.path, f.text])).toEqual([['demo/server.py', 'print("mcp")\n'], ['pyproject.toml', '[project]\nname = "demo"\n']]);
  });

  it('fetches a wheel when there is no sdist', async () => {
    const result = await fetchArtifact(pypi('wheelonly'), deps());
    expect(result.integrityVerified).toBe(true);
    expect(result.contents!.files.map((f) => f.path)).toEqual(['demo-1.0.0.dist-info/METADATA', 'demo/server.py']);
  });

  it('a missing project is permanent', async () => {
    expect(await failure(fetchArtifact(pypi('nope'), deps()))).toMatchObject({ retryable: false, kind: 'not-found' });
  });

  it('downloads an mcpb bundle, checks fileSha256, and refuses a hostile one', async () => {
    const mcpb = (name: string, fileSha256?: string): Package => ({ registryType: 'mcpb', identifier: `${registry.url}/bundles/${name}`, version: '1.0.0', transport: stdio, ...(fileSha256 ? { fileSha256 } : {}) });
    const ok = await fetchArtifact(mcpb('demo.mcpb', sha256(bundle)), deps());
    expect(ok).toMatchObject({ integrityVerified: true, findings: [] });
    expect(ok.contents!.files.map((f) => f.path)).toEqual(['manifest.json', 'server/index.js']);
    expect(rules(await fetchArtifact(mcpb('demo.mcpb', 'e'.repeat(64)), deps()))).toEqual(['TP-ART-001/critical']);
    expect(rules(await fetchArtifact(mcpb('demo.mcpb'), deps()))).toEqual(['TP-ART-004/medium']);
    const hostile = await fetchArtifact(mcpb('hostile.mcpb', sha256(hostileBundle)), deps());
    expect(hostile.contents).toBeNull();
    expect(hostile.findings.map((f) => [f.ruleId, f.location])).toEqual([['TP-ART-002', '../../.config/autostart/x.desktop']]);
    expect(await failure(fetchArtifact(mcpb('missing.mcpb'), deps()))).toMatchObject({ retryable: false, kind: 'not-found' });
  });
});

/** The hosts of every TCP connection attempted while `run` runs (as given to connect). */
async function dialled(run: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const connect = net.Socket.prototype.connect;
  const spy = jest.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (this: net.Socket, ...args: unknown[]) {
    const first = args[0] as unknown;
    const options = (Array.isArray(first) ? first[0] : first) as { host?: string } | undefined;
    if (options && typeof options === 'object') seen.push(options.host ?? '');
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return seen;
}

describe('the address policy (SSRF guard) on published URLs', () => {
  const npm = (identifier: string, registryBaseUrl?: string): Package => ({ registryType: 'npm', identifier, version: '1.0.0', transport: stdio, ...(registryBaseUrl ? { registryBaseUrl } : {}) });
  const refused = (result: { findings: Array<{ ruleId: string; severity: string; message: string }> }) => result.findings.map((f) => [f.ruleId, f.severity]);

  it('trusts the configured registry wherever it is, and refuses a loopback registryBaseUrl unless 127.0.0.0/8 is allow-listed, without sending it a request', async () => {
    // Trust goes by host name: the operator's registry is named `localhost` here, so the other
    // loopback server (127.0.0.1) stays a host that only published data names.
    const noAllowList = { TOOLPORT_SCANNER_ALLOW_CIDRS: '', TOOLPORT_SCANNER_PYPI_URL: 'https://pypi.org', TOOLPORT_SCANNER_NPM_REGISTRY: verdaccio.url.replace('127.0.0.1', 'localhost') };
    // The operator's own registry (TOOLPORT_SCANNER_NPM_REGISTRY) is on loopback: still fetched.
    expect((await fetchArtifact(npm('toolport-artifact-demo'), deps(noAllowList))).integrityVerified).toBe(true);
    // A registry that published data names (registryBaseUrl) on loopback: refused before any request.
    const before = registry.requests.length;
    const viaBaseUrl = await fetchArtifact(npm('hostile', `${registry.url}/npm`), deps(noAllowList));
    expect(viaBaseUrl).toMatchObject({ contents: null, integrityVerified: false });
    expect(refused(viaBaseUrl)).toEqual([['TP-ART-009', 'critical']]);
    expect(viaBaseUrl.findings[0]!.message).toContain(`refused ${registry.url}/npm/hostile/1.0.0: 127.0.0.1 is in 127.0.0.0/8 (loopback)`);
    expect(registry.requests.length).toBe(before);
    // The same registry, allow-listed: asked.
    await fetchArtifact(npm('hostile', `${registry.url}/npm`), deps({ TOOLPORT_SCANNER_PYPI_URL: 'https://pypi.org' }));
    expect(registry.requests.length).toBeGreaterThan(before);
  });

  it('refuses a tarball at the metadata service or a private address named by an allowed registry, without connecting to it', async () => {
    for (const [name, address, range] of [
      ['to-metadata', '169.254.169.254', '169.254.169.254/32 (cloud metadata service)'],
      ['to-private', '10.0.0.1', '10.0.0.0/8 (private)'],
    ] as const) {
      let result: Awaited<ReturnType<typeof fetchArtifact>> | undefined;
      const hosts = await dialled(async () => (result = await fetchArtifact(npm(name, `${registry.url}/npm`), deps())));
      expect(refused(result!)).toEqual([['TP-ART-009', 'critical']]);
      expect(result!.findings[0]!.message).toContain(`${address} is in ${range}`);
      expect(result!.findings[0]!.location).toBe(name);
      expect(hosts).not.toContain(address);
      expect(hosts.length).toBeGreaterThan(0); // the allowed registry itself was dialled (a fresh fetcher, so a fresh connection)
    }
    expect(registry.requests.map((r) => r.url)).toEqual(expect.arrayContaining(['/npm/to-metadata/1.0.0', '/npm/to-private/1.0.0']));
  });

  it('checks the redirect of a tarball download like the first hop (an IPv4-mapped metadata address included)', async () => {
    let result: Awaited<ReturnType<typeof fetchArtifact>> | undefined;
    const hosts = await dialled(async () => (result = await fetchArtifact(npm('via-redirect', `${registry.url}/npm`), deps())));
    expect(refused(result!)).toEqual([['TP-ART-009', 'critical']]);
    expect(result!.findings[0]!.message).toContain(`(redirected from ${registry.url}/npm/via-redirect/-/x.tgz): ::ffff:a9fe:a9fe is an IPv4-mapped address of 169.254.169.254, which is in 169.254.169.254/32 (cloud metadata service)`);
    expect(hosts.filter((h) => h.includes('169.254') || h.includes('a9fe'))).toEqual([]);
  });
});
