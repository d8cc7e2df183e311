import { createHash } from 'node:crypto';
import { checkOf } from './__fixtures__/package-check';
import { InMemoryPackageFetcher } from '@toolport/platform';
import { mcpbValidator } from './mcpb.validator';

const URL_ = 'https://github.com/acme/thing-mcp/releases/download/v1.0.0/thing.mcpb';
const BUNDLE = Buffer.from('PK\u0003\u0004 not really a zip, but bytes are bytes '.repeat(20));
const SHA = createHash('sha256').update(BUNDLE).digest('hex');

function run(fetcher: InMemoryPackageFetcher, pkg: { identifier?: string; fileSha256?: string } = {}, allowedRegistryUrls: string[] = []) {
  return mcpbValidator.validate(checkOf({ registryType: 'mcpb', identifier: URL_, fileSha256: SHA, ...pkg }, fetcher, { allowedRegistryUrls, maxFileBytes: 4096 }));
}

describe('mcpb validator', () => {
  it('streams the bundle into a SHA-256 and accepts a match (case-insensitively)', async () => {
    const fetcher = new InMemoryPackageFetcher().on(URL_, { body: BUNDLE });
    await expect(run(fetcher)).resolves.toEqual([]);
    await expect(run(fetcher, { fileSha256: SHA.toUpperCase() })).resolves.toEqual([]);
    expect(fetcher.requests[0]).toMatchObject({ url: URL_, maxBytes: 4096, onChunk: expect.any(Function) });
  });

  it('says which hash and size it found when they differ', async () => {
    const other = 'a'.repeat(64);
    const fetcher = new InMemoryPackageFetcher().on(URL_, { body: BUNDLE });
    await expect(run(fetcher, { fileSha256: other })).resolves.toEqual([
      { path: 'packages[0].fileSha256', severity: 'error', message: `MCPB file at ${URL_} has SHA-256 ${SHA} (${BUNDLE.byteLength} bytes), but fileSha256 is ${other}` },
    ]);
  });

  it('needs a well-formed fileSha256 before it downloads anything', async () => {
    const fetcher = new InMemoryPackageFetcher();
    const [missing] = await mcpbValidator.validate(checkOf({ registryType: 'mcpb', identifier: URL_ }, fetcher));
    expect(missing).toMatchObject({ path: 'packages[0].fileSha256', message: expect.stringContaining('must declare fileSha256') });
    const [malformed] = await run(fetcher, { fileSha256: 'abc' });
    expect(malformed).toMatchObject({ path: 'packages[0].fileSha256', message: "fileSha256 must be 64 hexadecimal characters, got 'abc'" });
    expect(fetcher.requests).toEqual([]);
  });

  it('downloads over https only, unless the URL lies under an allowed registry URL', async () => {
    const plain = 'http://files.internal:8080/mcpb/thing.mcpb';
    const fetcher = new InMemoryPackageFetcher().on(plain, { body: BUNDLE });
    await expect(run(fetcher, { identifier: plain })).resolves.toEqual([
      { path: 'packages[0].identifier', severity: 'error', message: `MCPB download URL '${plain}' must use https` },
    ]);
    const [elsewhere] = await run(fetcher, { identifier: plain }, ['http://files.internal:8080/other']);
    expect(elsewhere?.message).toBe(`MCPB download URL '${plain}' must use https or lie under an allowed registry URL (http://files.internal:8080/other)`);
    expect(fetcher.requests).toEqual([]);
    await expect(run(fetcher, { identifier: plain }, ['http://files.internal:8080/mcpb'])).resolves.toEqual([]);
    for (const identifier of ['ftp://x/y.mcpb', 'not a url', 'https://user:pw@github.com/x.mcpb']) {
      const [issue] = await run(fetcher, { identifier });
      expect(issue?.message).toContain('must be an absolute https download URL without credentials');
    }
  });

  it('stops at the size limit, and reports missing files and transient failures', async () => {
    const big = new InMemoryPackageFetcher().on(URL_, { body: Buffer.alloc(5000) });
    await expect(run(big)).resolves.toEqual([
      { path: 'packages[0].identifier', severity: 'error', message: `MCPB file at ${URL_} is larger than the verification limit of 4096 bytes` },
    ]);
    await expect(run(new InMemoryPackageFetcher())).resolves.toEqual([
      { path: 'packages[0].identifier', severity: 'error', message: `MCPB file not found at ${URL_} (status: 404)` },
    ]);
    const [transient] = await run(new InMemoryPackageFetcher().on(URL_, { status: 500 }));
    expect(transient).toMatchObject({ severity: 'error', retryable: true, message: `Could not verify MCPB file at ${URL_}: ${new URL(URL_).href} answered 500. Try again later.` });
  });
});
