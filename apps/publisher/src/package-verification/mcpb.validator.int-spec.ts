import { createHash, randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Package, ServerDetail } from '@toolport/contracts';
import { SERVER_NAME, optionsFrom } from './__fixtures__/package-check';
import { type LoopbackServer, sendJson, startLoopbackServer } from '@toolport/testing';
import { verifyPackages } from './package-verification';
import { createVerificationFetcher } from './verification-fetcher';

const BUNDLE = randomBytes(300 * 1024);
const SHA = createHash('sha256').update(BUNDLE).digest('hex');
const LIMIT = 1024 * 1024;

let releases: LoopbackServer;
let cdn: LoopbackServer;
// The production client, address policy included: the test registries on 127.0.0.1 are configured
// registry hosts (trusted), as an operator's internal registry would be.
// Loopback allowed as a range: these suites test the validators, verification-fetcher.int-spec.ts the guard.
const fetcher = createVerificationFetcher(optionsFrom({ TOOLPORT_PUBLISHER_ALLOW_CIDRS: '127.0.0.0/8', TOOLPORT_VERIFY_TIMEOUT_MS: '5000' }));

/** Chunked, without Content-Length, so only counting while streaming can enforce the limit. */
function sendChunked(response: ServerResponse, bytes: Buffer): void {
  response.writeHead(200, { 'content-type': 'application/octet-stream' });
  for (let offset = 0; offset < bytes.byteLength; offset += 16 * 1024) response.write(bytes.subarray(offset, offset + 16 * 1024));
  response.end();
}

beforeAll(async () => {
  // Like objects.githubusercontent.com: serves the bytes a release URL redirects to.
  cdn = await startLoopbackServer((request, response) => {
    if (request.url === '/objects/thing') return sendChunked(response, BUNDLE);
    sendJson(response, 404, { message: 'Not Found' });
  });
  // Like github.com release downloads: a redirect to the CDN.
  releases = await startLoopbackServer((request, response) => {
    if (request.url === '/acme/thing-mcp/releases/download/v1.0.0/thing.mcpb') return void response.writeHead(302, { location: `${cdn.url}/objects/thing` }).end();
    if (request.url === '/acme/thing-mcp/releases/download/v1.0.0/huge.mcpb') return sendChunked(response, Buffer.alloc(LIMIT * 2));
    if (request.url === '/acme/thing-mcp/releases/download/v1.0.0/flaky.mcpb') return sendJson(response, 502, { message: 'Bad Gateway' });
    sendJson(response, 404, { message: 'Not Found' });
  });
});

afterAll(async () => {
  await releases.close();
  await cdn.close();
});

const bundle = (file: string, fileSha256 = SHA): Package => ({ registryType: 'mcpb', identifier: `${releases.url}/acme/thing-mcp/releases/download/v1.0.0/${file}`, fileSha256, transport: { type: 'stdio' } });
const server = (...packages: Package[]): ServerDetail => ({ name: SERVER_NAME, description: 'x', version: '1.0.0', packages });
const options = () => optionsFrom({ TOOLPORT_ALLOWED_REGISTRY_URLS: `${releases.url}/acme`, TOOLPORT_VERIFY_MAX_BYTES: String(LIMIT) });

describe('mcpb integrity against loopback release and CDN servers', () => {
  it('follows the release redirect, hashes the streamed file and accepts the declared SHA-256', async () => {
    await expect(verifyPackages(server(bundle('thing.mcpb')), options(), fetcher)).resolves.toEqual([]);
    expect(cdn.requests.map((r) => r.url)).toContain('/objects/thing');
  });

  it('says which hash and size the file really has', async () => {
    const declared = 'f'.repeat(64);
    await expect(verifyPackages(server(bundle('thing.mcpb', declared)), options(), fetcher)).resolves.toEqual([
      {
        path: 'packages[0].fileSha256',
        severity: 'error',
        message: `MCPB file at ${releases.url}/acme/thing-mcp/releases/download/v1.0.0/thing.mcpb has SHA-256 ${SHA} (${BUNDLE.byteLength} bytes), but fileSha256 is ${declared}`,
      },
    ]);
  });

  it('stops downloading past the limit, and reports missing and failing downloads', async () => {
    const issues = await verifyPackages(server(bundle('huge.mcpb'), bundle('gone.mcpb'), bundle('flaky.mcpb')), options(), fetcher);
    const at = (file: string) => `${releases.url}/acme/thing-mcp/releases/download/v1.0.0/${file}`;
    expect(issues).toEqual([
      { path: 'packages[0].identifier', severity: 'error', message: `MCPB file at ${at('huge.mcpb')} is larger than the verification limit of ${LIMIT} bytes` },
      { path: 'packages[1].identifier', severity: 'error', message: `MCPB file not found at ${at('gone.mcpb')} (status: 404)` },
      { path: 'packages[2]', severity: 'error', retryable: true, message: `Could not verify MCPB file at ${at('flaky.mcpb')}: ${at('flaky.mcpb')} answered 502. Try again later.` },
    ]);
  });

  it('refuses a plain-http download outside the allowed URLs without fetching it', async () => {
    const before = releases.requests.length;
    const issues = await verifyPackages(server(bundle('thing.mcpb')), optionsFrom(), fetcher);
    expect(issues).toEqual([
      { path: 'packages[0].identifier', severity: 'error', message: `MCPB download URL '${releases.url}/acme/thing-mcp/releases/download/v1.0.0/thing.mcpb' must use https` },
    ]);
    expect(releases.requests.length).toBe(before);
  });
});
