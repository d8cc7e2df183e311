import { SERVER_NAME, checkOf } from './__fixtures__/package-check';
import { InMemoryPackageFetcher } from '@toolport/platform';
import { encodeNpmName, npmValidator } from './npm.validator';

const BASE = 'https://registry.npmjs.org';
const DOC = `${BASE}/@acme%2fthing/1.0.0`;
const TAGS = `${BASE}/-/package/@acme%2fthing/dist-tags`;

function run(fetcher: InMemoryPackageFetcher, pkg: { identifier?: string; version?: string } = {}, baseUrl = BASE) {
  return npmValidator.validate(checkOf({ registryType: 'npm', identifier: '@acme/thing', version: '1.0.0', ...pkg }, fetcher, { baseUrl }));
}

describe('npm validator', () => {
  it('accepts a version document whose mcpName is the server name, asking for JSON within the limit', async () => {
    const fetcher = new InMemoryPackageFetcher().on(DOC, { body: { name: '@acme/thing', version: '1.0.0', mcpName: SERVER_NAME } });
    await expect(run(fetcher)).resolves.toEqual([]);
    expect(fetcher.requests).toEqual([{ url: DOC, maxBytes: 64 * 1024, headers: { accept: 'application/json' } }]);
  });

  it('says which mcpName it found when it is another server', async () => {
    const fetcher = new InMemoryPackageFetcher().on(DOC, { body: { version: '1.0.0', mcpName: 'io.github.mallory/thing' } });
    await expect(run(fetcher)).resolves.toEqual([
      {
        path: 'packages[0].identifier',
        severity: 'error',
        message: "NPM package ownership validation failed. Expected mcpName 'io.github.acme/thing', got 'io.github.mallory/thing' (package '@acme/thing' version 1.0.0)",
      },
    ]);
  });

  it('tells how to add a missing mcpName', async () => {
    const fetcher = new InMemoryPackageFetcher().on(DOC, { body: { version: '1.0.0' } });
    const [issue] = await run(fetcher);
    expect(issue?.message).toBe(`NPM package '@acme/thing' (version 1.0.0) is missing required 'mcpName' field. Add this to your package.json: "mcpName": "${SERVER_NAME}"`);
  });

  it('refuses an mcpName that is not a string', async () => {
    const fetcher = new InMemoryPackageFetcher().on(DOC, { body: { version: '1.0.0', mcpName: 42 } });
    const [issue] = await run(fetcher);
    expect(issue?.message).toContain("has an 'mcpName' that is a number, not a string");
  });

  it('tells an unknown version (with the latest one) from an unknown package', async () => {
    const versionMissing = new InMemoryPackageFetcher().on(TAGS, { body: { latest: '1.0.0' } });
    await expect(run(versionMissing, { version: '9.9.9' })).resolves.toEqual([
      { path: 'packages[0].version', severity: 'error', message: "NPM package '@acme/thing' has no version '9.9.9' at https://registry.npmjs.org (latest is 1.0.0)" },
    ]);
    await expect(run(new InMemoryPackageFetcher())).resolves.toEqual([
      { path: 'packages[0].identifier', severity: 'error', message: "NPM package '@acme/thing' not found at https://registry.npmjs.org (status: 404)" },
    ]);
  });

  it('falls back to a plain not-found when the dist-tags document is unavailable', async () => {
    const fetcher = new InMemoryPackageFetcher().on(TAGS, { status: 502 });
    const [issue] = await run(fetcher);
    expect(issue).toEqual({ path: 'packages[0].version', severity: 'error', message: "NPM package '@acme/thing' version '1.0.0' not found at https://registry.npmjs.org (status: 404)" });
  });

  it('reports transient failures as retryable errors that say to try again', async () => {
    for (const fetcher of [new InMemoryPackageFetcher().on(DOC, { status: 503 }), new InMemoryPackageFetcher().failWith(DOC, 'timeout', 'registry.npmjs.org did not answer within 10 ms')]) {
      const [issue] = await run(fetcher);
      expect(issue).toMatchObject({ path: 'packages[0]', severity: 'error', retryable: true });
      expect(issue?.message).toMatch(/^Could not verify NPM package '@acme\/thing@1\.0\.0' at https:\/\/registry\.npmjs\.org: .*Try again later\.$/);
    }
  });

  it('reports a document that is not JSON or too large as a plain error', async () => {
    const notJson = await run(new InMemoryPackageFetcher().on(DOC, { body: '<html>' }));
    expect(notJson[0]).toMatchObject({ severity: 'error', message: expect.stringContaining('did not answer with JSON') });
    expect(notJson[0]?.retryable).toBeUndefined();
    const huge = await run(new InMemoryPackageFetcher().on(DOC, { body: { mcpName: SERVER_NAME, readme: 'x'.repeat(70 * 1024) } }));
    expect(huge[0]?.message).toContain('sent more than the limit of 65536 bytes');
  });

  it('encodes names and versions into one path segment each, under a base URL with a path', async () => {
    const base = 'https://artifactory.example/api/npm/npm-local';
    const fetcher = new InMemoryPackageFetcher().on(`${base}/plain-name/1.0.0%2Bbuild.7`, { body: { mcpName: SERVER_NAME, version: '1.0.0+build.7' } });
    await expect(run(fetcher, { identifier: 'plain-name', version: '1.0.0+build.7' }, base)).resolves.toEqual([]);
  });

  it('warns when the registry resolved the version to another one', async () => {
    const fetcher = new InMemoryPackageFetcher().on(`${BASE}/@acme%2fthing/next`, { body: { mcpName: SERVER_NAME, version: '2.0.0-rc.1' } });
    await expect(run(fetcher, { version: 'next' })).resolves.toEqual([
      { path: 'packages[0].version', severity: 'warning', message: "NPM version 'next' of '@acme/thing' resolved to '2.0.0-rc.1'; declare the exact version" },
    ]);
  });

  it('refuses names that cannot be an npm package and a missing version, without a request', async () => {
    const fetcher = new InMemoryPackageFetcher();
    for (const identifier of ['a/b/c', '@scope/', '../etc', 'a b', '@a%2fb']) {
      const [issue] = await run(fetcher, { identifier });
      expect(issue).toEqual({ path: 'packages[0].identifier', severity: 'error', message: `'${identifier}' is not a valid npm package name` });
    }
    const [issue] = await npmValidator.validate(checkOf({ registryType: 'npm', identifier: 'x' }, fetcher, { baseUrl: BASE }));
    expect(issue?.path).toBe('packages[0].version');
    expect(fetcher.requests).toEqual([]);
  });

  it('escapes a scoped name as the npm CLI does', () => {
    expect(encodeNpmName('@scope/name')).toBe('@scope%2fname');
    expect(encodeNpmName('name')).toBe('name');
    expect(encodeNpmName('@my-org/srv.v2')).toBe('@my-org%2fsrv.v2');
  });
});
