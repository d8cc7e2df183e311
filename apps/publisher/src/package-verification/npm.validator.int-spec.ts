import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Package, ServerDetail } from '@toolport/contracts';
import { SERVER_NAME, optionsFrom } from './__fixtures__/package-check';
import { startVerdaccio, type Verdaccio } from '@toolport/testing';
import type { PackageVerificationOptions } from './package-verification.config';
import { verifyPackages } from './package-verification';
import { createVerificationFetcher } from './verification-fetcher';

let verdaccio: Verdaccio;
let options: PackageVerificationOptions;
// The production client, address policy included: the test registries on 127.0.0.1 are configured
// registry hosts (trusted), as an operator's internal registry would be.
// Loopback allowed as a range: these suites test the validators, verification-fetcher.int-spec.ts the guard.
const fetcher = createVerificationFetcher(optionsFrom({ TOOLPORT_PUBLISHER_ALLOW_CIDRS: '127.0.0.0/8', TOOLPORT_VERIFY_TIMEOUT_MS: '10000' }));
/** Written by the test packages' lifecycle scripts if anything ever ran them. */
const MARKER = path.join(tmpdir(), `toolport-npm-script-ran-${process.pid}`);
const scripts = { preinstall: `node -e "require('fs').writeFileSync('${MARKER}','')"`, prepublishOnly: `node -e "require('fs').writeFileSync('${MARKER}','')"` };

beforeAll(async () => {
  verdaccio = await startVerdaccio();
  options = optionsFrom({ TOOLPORT_ALLOWED_REGISTRY_URLS: verdaccio.url });
  await verdaccio.publish({ name: 'owned-plain', version: '1.0.0', mcpName: SERVER_NAME, scripts });
  await verdaccio.publish({ name: 'owned-plain', version: '1.1.0', mcpName: SERVER_NAME, scripts });
  await verdaccio.publish({ name: 'someone-elses', version: '1.0.0', mcpName: 'io.github.mallory/thing', scripts });
  await verdaccio.publish({ name: 'no-mcpname', version: '1.0.0', scripts });
  await verdaccio.publish({ name: '@toolport-test/owned', version: '2.0.0', mcpName: SERVER_NAME, scripts });
}, 120_000);

afterAll(async () => {
  await verdaccio?.stop();
});

const npm = (identifier: string, version: string, registryBaseUrl: string = verdaccio.url): Package => ({ registryType: 'npm', identifier, version, registryBaseUrl, transport: { type: 'stdio' } });
const server = (...packages: Package[]): ServerDetail => ({ name: SERVER_NAME, description: 'x', version: '1.0.0', packages });

describe('npm ownership against a real Verdaccio', () => {
  it('accepts packages whose mcpName is the server name, scoped ones included', async () => {
    await expect(verifyPackages(server(npm('owned-plain', '1.0.0'), npm('owned-plain', '1.1.0'), npm('@toolport-test/owned', '2.0.0')), options, fetcher)).resolves.toEqual([]);
  });

  it('names the mcpName it found when it belongs to someone else', async () => {
    await expect(verifyPackages(server(npm('someone-elses', '1.0.0')), options, fetcher)).resolves.toEqual([
      {
        path: 'packages[0].identifier',
        severity: 'error',
        message: `NPM package ownership validation failed. Expected mcpName '${SERVER_NAME}', got 'io.github.mallory/thing' (package 'someone-elses' version 1.0.0)`,
      },
    ]);
  });

  it('tells how to add a missing mcpName', async () => {
    await expect(verifyPackages(server(npm('no-mcpname', '1.0.0')), options, fetcher)).resolves.toEqual([
      {
        path: 'packages[0].identifier',
        severity: 'error',
        message: `NPM package 'no-mcpname' (version 1.0.0) is missing required 'mcpName' field. Add this to your package.json: "mcpName": "${SERVER_NAME}"`,
      },
    ]);
  });

  it('tells an unknown version (naming the latest) from an unknown package', async () => {
    const issues = await verifyPackages(server(npm('owned-plain', '9.9.9'), npm('@toolport-test/owned', '1.0.0'), npm('never-published', '1.0.0'), npm('@toolport-test/nope', '1.0.0')), options, fetcher);
    expect(issues).toEqual([
      { path: 'packages[0].version', severity: 'error', message: `NPM package 'owned-plain' has no version '9.9.9' at ${verdaccio.url} (latest is 1.1.0)` },
      { path: 'packages[1].version', severity: 'error', message: `NPM package '@toolport-test/owned' has no version '1.0.0' at ${verdaccio.url} (latest is 2.0.0)` },
      { path: 'packages[2].identifier', severity: 'error', message: `NPM package 'never-published' not found at ${verdaccio.url} (status: 404)` },
      { path: 'packages[3].identifier', severity: 'error', message: `NPM package '@toolport-test/nope' not found at ${verdaccio.url} (status: 404)` },
    ]);
  });

  it('queries the configured default registry when the package names none', async () => {
    const viaDefault = optionsFrom({ TOOLPORT_NPM_REGISTRY_URL: verdaccio.url });
    const pkg: Package = { registryType: 'npm', identifier: '@toolport-test/owned', version: '2.0.0', transport: { type: 'stdio' } };
    await expect(verifyPackages(server(pkg), viaDefault, fetcher)).resolves.toEqual([]);
  });

  it('refuses a base URL outside the allowed ones without contacting it', async () => {
    const elsewhere = verdaccio.url.replace(/:(\d+)$/, (_, port: string) => `:${Number(port) + 1}`);
    await expect(verifyPackages(server(npm('owned-plain', '1.0.0', elsewhere)), options, fetcher)).resolves.toEqual([
      { path: 'packages[0].registryBaseUrl', severity: 'error', message: `registry base URL '${elsewhere}' is not allowed for npm packages. Allowed: https://registry.npmjs.org, ${verdaccio.url}` },
    ]);
  });

  it('never ran a lifecycle script of the test packages', () => {
    expect(existsSync(MARKER)).toBe(false);
  });
});
