import type { Package, ServerDetail } from '@toolport/contracts';
import { SERVER_NAME, optionsFrom } from './__fixtures__/package-check';
import { type LoopbackServer, sendJson, startLoopbackServer } from '@toolport/testing';
import { verifyPackages } from './package-verification';
import { createVerificationFetcher } from './verification-fetcher';

/** Releases of a tiny PyPI: project → version → README. */
const RELEASES: Record<string, Record<string, string>> = {
  'acme-thing': { '1.0.0': `# Acme thing\n\nAn MCP server.\n\n<!-- mcp-name: ${SERVER_NAME} -->\n`, '1.1.0': '# Acme thing\n\nNo marker in this one.\n' },
  'squatter': { '0.1.0': `mcp-name: ${SERVER_NAME}-but-longer\n` },
};

let pypi: LoopbackServer;
let failing: LoopbackServer;
// The production client, address policy included: the test registries on 127.0.0.1 are configured
// registry hosts (trusted), as an operator's internal registry would be.
// Loopback allowed as a range: these suites test the validators, verification-fetcher.int-spec.ts the guard.
const fetcher = createVerificationFetcher(optionsFrom({ TOOLPORT_PUBLISHER_ALLOW_CIDRS: '127.0.0.0/8', TOOLPORT_VERIFY_TIMEOUT_MS: '5000' }));

/** The PyPI JSON API (docs.pypi.org/api/json): `/pypi/<project>[/<version>]/json`, 301 to the normalized name. */
function pypiJsonApi(url: string): { status: number; body?: unknown; location?: string } {
  const match = /^\/pypi\/([^/]+)(?:\/([^/]+))?\/json$/.exec(url);
  if (!match) return { status: 404, body: { message: 'Not Found' } };
  const [, rawName, version] = match as unknown as [string, string, string | undefined];
  const name = decodeURIComponent(rawName);
  const normalized = name.toLowerCase().replace(/[-_.]+/g, '-');
  if (normalized !== name) return { status: 301, location: `/pypi/${normalized}${version ? `/${version}` : ''}/json` };
  const project = RELEASES[normalized];
  if (!project) return { status: 404, body: { message: 'Not Found' } };
  const versions = Object.keys(project);
  const latest = versions[versions.length - 1] as string;
  const shown = version === undefined ? latest : decodeURIComponent(version);
  if (project[shown] === undefined) return { status: 404, body: { message: 'Not Found' } };
  return { status: 200, body: { info: { name: normalized, version: shown, description: project[shown], description_content_type: 'text/markdown' }, urls: [], vulnerabilities: [] } };
}

beforeAll(async () => {
  pypi = await startLoopbackServer((request, response) => {
    const answer = pypiJsonApi(request.url ?? '');
    if (answer.location) return void response.writeHead(answer.status, { location: answer.location }).end();
    sendJson(response, answer.status, answer.body);
  });
  failing = await startLoopbackServer((_request, response) => sendJson(response, 503, { message: 'Service Unavailable' }));
});

afterAll(async () => {
  await pypi.close();
  await failing.close();
});

const pkg = (identifier: string, version: string, registryBaseUrl?: string): Package => ({ registryType: 'pypi', identifier, version, transport: { type: 'stdio' }, ...(registryBaseUrl ? { registryBaseUrl } : {}) });
const server = (...packages: Package[]): ServerDetail => ({ name: SERVER_NAME, description: 'x', version: '1.0.0', packages });

describe('PyPI ownership against a loopback PyPI JSON API', () => {
  it('accepts a release whose README declares the server, also through the name-normalizing redirect', async () => {
    const options = optionsFrom({ TOOLPORT_PYPI_URL: pypi.url });
    await expect(verifyPackages(server(pkg('acme-thing', '1.0.0'), pkg('Acme_Thing', '1.0.0')), options, fetcher)).resolves.toEqual([]);
    expect(pypi.requests.map((r) => r.url).sort()).toEqual(['/pypi/Acme_Thing/1.0.0/json', '/pypi/acme-thing/1.0.0/json', '/pypi/acme-thing/1.0.0/json']);
  });

  it('refuses a release without the marker, and a longer name that merely starts with the server name', async () => {
    const options = optionsFrom({ TOOLPORT_ALLOWED_REGISTRY_URLS: pypi.url });
    const issues = await verifyPackages(server(pkg('acme-thing', '1.1.0', pypi.url), pkg('squatter', '0.1.0', pypi.url)), options, fetcher);
    expect(issues).toEqual([
      {
        path: 'packages[0].identifier',
        severity: 'error',
        message: `PyPI package 'acme-thing' ownership validation failed. The server name '${SERVER_NAME}' must appear as 'mcp-name: ${SERVER_NAME}' in the package README (version 1.1.0); it has no 'mcp-name:' line`,
      },
      {
        path: 'packages[1].identifier',
        severity: 'error',
        message: `PyPI package 'squatter' ownership validation failed. The server name '${SERVER_NAME}' must appear as 'mcp-name: ${SERVER_NAME}' in the package README (version 0.1.0); it declares 'mcp-name: ${SERVER_NAME}-but-longer'`,
      },
    ]);
  });

  it('tells an unknown release from an unknown project', async () => {
    const options = optionsFrom({ TOOLPORT_PYPI_URL: pypi.url });
    await expect(verifyPackages(server(pkg('acme-thing', '3.0.0'), pkg('nobody', '1.0.0')), options, fetcher)).resolves.toEqual([
      { path: 'packages[0].version', severity: 'error', message: `PyPI package 'acme-thing' has no release '3.0.0' at ${pypi.url} (latest is 1.1.0)` },
      { path: 'packages[1].identifier', severity: 'error', message: `PyPI package 'nobody' not found at ${pypi.url} (status: 404)` },
    ]);
  });

  it('turns a failing index into a retryable error, and refuses an index that is not allowed', async () => {
    const options = optionsFrom({ TOOLPORT_ALLOWED_REGISTRY_URLS: failing.url });
    const issues = await verifyPackages(server(pkg('acme-thing', '1.0.0', failing.url), pkg('acme-thing', '1.0.0', pypi.url)), options, fetcher);
    expect(issues).toEqual([
      {
        path: 'packages[0]',
        severity: 'error',
        retryable: true,
        message: `Could not verify PyPI package 'acme-thing' version 1.0.0 at ${failing.url}: ${failing.url}/pypi/acme-thing/1.0.0/json answered 503. Try again later.`,
      },
      { path: 'packages[1].registryBaseUrl', severity: 'error', message: `registry base URL '${pypi.url}' is not allowed for pypi packages. Allowed: https://pypi.org, ${failing.url}` },
    ]);
  });
});
