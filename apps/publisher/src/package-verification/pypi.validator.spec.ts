import { SERVER_NAME, checkOf } from './__fixtures__/package-check';
import { InMemoryPackageFetcher } from '@toolport/platform';
import { declaresMcpName, pypiValidator } from './pypi.validator';

const BASE = 'https://pypi.org';
const RELEASE = `${BASE}/pypi/acme-thing/1.0.0/json`;
const PROJECT = `${BASE}/pypi/acme-thing/json`;

function run(fetcher: InMemoryPackageFetcher, pkg: { identifier?: string; version?: string } = {}) {
  return pypiValidator.validate(checkOf({ registryType: 'pypi', identifier: 'acme-thing', version: '1.0.0', ...pkg }, fetcher, { baseUrl: BASE }));
}

const release = (description: string | null) => ({ body: { info: { name: 'acme-thing', version: '1.0.0', description } } });

describe('PyPI validator', () => {
  it('accepts a release whose README declares mcp-name: <server name>', async () => {
    const fetcher = new InMemoryPackageFetcher().on(RELEASE, release(`# Acme\n\n<!-- mcp-name: ${SERVER_NAME} -->\n`));
    await expect(run(fetcher)).resolves.toEqual([]);
    expect(fetcher.requests.map((r) => r.url)).toEqual([RELEASE]);
  });

  it('says which names the README declares when none is the server', async () => {
    const fetcher = new InMemoryPackageFetcher().on(RELEASE, release(`mcp-name: ${SERVER_NAME}-evil\nmcp-name: io.github.other/x`));
    await expect(run(fetcher)).resolves.toEqual([
      {
        path: 'packages[0].identifier',
        severity: 'error',
        message: `PyPI package 'acme-thing' ownership validation failed. The server name '${SERVER_NAME}' must appear as 'mcp-name: ${SERVER_NAME}' in the package README (version 1.0.0); it declares 'mcp-name: ${SERVER_NAME}-evil', 'mcp-name: io.github.other/x'`,
      },
    ]);
  });

  it('says so when the README has no marker at all, or no README', async () => {
    for (const description of ['just a readme', null]) {
      const [issue] = await run(new InMemoryPackageFetcher().on(RELEASE, release(description)));
      expect(issue?.message).toMatch(/; it has no 'mcp-name:' line$/);
    }
  });

  it('tells an unknown release (with the latest one) from an unknown project', async () => {
    const fetcher = new InMemoryPackageFetcher().on(PROJECT, { body: { info: { version: '2.0.0' }, releases: {} } });
    await expect(run(fetcher)).resolves.toEqual([
      { path: 'packages[0].version', severity: 'error', message: "PyPI package 'acme-thing' has no release '1.0.0' at https://pypi.org (latest is 2.0.0)" },
    ]);
    await expect(run(new InMemoryPackageFetcher())).resolves.toEqual([
      { path: 'packages[0].identifier', severity: 'error', message: "PyPI package 'acme-thing' not found at https://pypi.org (status: 404)" },
    ]);
    const [fallback] = await run(new InMemoryPackageFetcher().on(PROJECT, { body: { info: { version: '2.0.0' }, padding: 'x'.repeat(70 * 1024) } }));
    expect(fallback?.message).toBe("PyPI package 'acme-thing' version '1.0.0' not found at https://pypi.org (status: 404)");
  });

  it('reports rate limiting and network failures as retryable', async () => {
    for (const fetcher of [new InMemoryPackageFetcher().on(RELEASE, { status: 429 }), new InMemoryPackageFetcher().failWith(RELEASE, 'network', 'pypi.org could not be reached: ECONNRESET')]) {
      const [issue] = await run(fetcher);
      expect(issue).toMatchObject({ severity: 'error', retryable: true, message: expect.stringContaining('Try again later.') });
    }
  });

  it('refuses names that are not PEP 508 project names, and a missing version, without a request', async () => {
    const fetcher = new InMemoryPackageFetcher();
    for (const identifier of ['-bad', 'a/b', 'bad-', 'a b']) {
      const [issue] = await run(fetcher, { identifier });
      expect(issue).toEqual({ path: 'packages[0].identifier', severity: 'error', message: `'${identifier}' is not a valid PyPI project name` });
    }
    const [issue] = await pypiValidator.validate(checkOf({ registryType: 'pypi', identifier: 'x' }, fetcher, { baseUrl: BASE }));
    expect(issue?.path).toBe('packages[0].version');
    expect(fetcher.requests).toEqual([]);
  });
});

describe('declaresMcpName', () => {
  it.each([
    [`mcp-name: ${SERVER_NAME}`, true],
    [`x mcp-name: ${SERVER_NAME}\n`, true],
    [`<!-- mcp-name: ${SERVER_NAME} -->`, true],
    [`mcp-name: ${SERVER_NAME}-evil mcp-name: ${SERVER_NAME})`, true],
    [`mcp-name: ${SERVER_NAME}2`, false],
    [`mcp-name: ${SERVER_NAME}/x`, false],
    [`mcp-name: ${SERVER_NAME}.`, false],
    [`mcp-name:${SERVER_NAME}`, false],
    [`MCP-NAME: ${SERVER_NAME}`, false],
    ['', false],
  ])('%j → %s', (text, expected) => {
    expect(declaresMcpName(text, SERVER_NAME)).toBe(expected);
  });
});
