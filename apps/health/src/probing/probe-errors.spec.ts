import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { describeProbeError, redactSecrets } from './probe-errors';

const withCode = (message: string, code: string | number, cause?: unknown) => Object.assign(new Error(message, { cause }), { code });

describe('describeProbeError', () => {
  it('maps socket errors anywhere along the cause chain to the connect phase', () => {
    const refused = new TypeError('fetch failed', { cause: withCode('connect ECONNREFUSED 127.0.0.1:9', 'ECONNREFUSED') });
    expect(describeProbeError(refused, 'initialize')).toEqual({ phase: 'connect', reason: 'connection refused (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:9' });
    expect(describeProbeError(new Error('outer', { cause: refused }), 'list-tools').phase).toBe('connect');
    expect(describeProbeError(withCode('socket hang up', 'ECONNRESET'), 'list-tools')).toMatchObject({ phase: 'connect', reason: expect.stringContaining('connection reset') });
  });

  it('names TLS failures', () => {
    const tls = new TypeError('fetch failed', { cause: withCode("Hostname/IP does not match certificate's altnames", 'ERR_TLS_CERT_ALTNAME_INVALID') });
    expect(describeProbeError(tls, 'initialize')).toMatchObject({ phase: 'connect', reason: expect.stringContaining('TLS failure (ERR_TLS_CERT_ALTNAME_INVALID)') });
    expect(describeProbeError(withCode('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT'), 'initialize').phase).toBe('connect');
  });

  it('uses the network layer error when the thrown one lost its cause (SSE flattens it to text)', () => {
    const network = new TypeError('fetch failed', { cause: withCode('connect ECONNREFUSED 127.0.0.1:9', 'ECONNREFUSED') });
    expect(describeProbeError(new Error('SSE error: fetch failed'), 'initialize', [], network).phase).toBe('connect');
    expect(describeProbeError(new Error('SSE error: fetch failed'), 'initialize')).toEqual({ phase: 'initialize', reason: 'initialize failed: SSE error: fetch failed' });
  });

  it('keeps the phase for HTTP statuses and MCP errors', () => {
    expect(describeProbeError(withCode('Error POSTing to endpoint: Forbidden', 403), 'initialize')).toEqual({
      phase: 'initialize',
      reason: 'HTTP 403 during initialize: Error POSTing to endpoint: Forbidden',
    });
    expect(describeProbeError(new McpError(ErrorCode.MethodNotFound, 'Method not found'), 'list-tools')).toEqual({
      phase: 'list-tools',
      reason: 'the server answered tools/list with error -32601: Method not found',
    });
  });

  it('says "not an MCP server" for answers that are not JSON or not JSON-RPC', () => {
    expect(describeProbeError(new SyntaxError('Unexpected token < in JSON'), 'initialize').reason).toContain('not an MCP server');
    const zodLike = Object.assign(new Error('[{"code":"invalid_union"}]'), { name: 'ZodError' });
    expect(describeProbeError(zodLike, 'initialize').reason).toBe('not an MCP server: the answer to initialize is not a valid JSON-RPC message');
  });

  it('keeps reasons to one short line, and redacts secrets before shortening', () => {
    const secret = 'sk-live-0123456789abcdef';
    const long = `${'x'.repeat(290)} ${secret}\nnext line`;
    const { reason } = describeProbeError(new Error(long), 'initialize', [secret]);
    expect(reason.length).toBeLessThanOrEqual(300);
    expect(reason).not.toContain('\n');
    expect(reason).not.toContain('sk-live');
    expect(reason).not.toContain('0123');
  });
});

describe('redactSecrets', () => {
  it('removes every occurrence, longest secret first', () => {
    expect(redactSecrets('a=abcd1234 b=abcd1234xyz c=abcd1234', ['abcd1234', 'abcd1234xyz'])).toBe('a=[redacted] b=[redacted] c=[redacted]');
  });

  it('leaves values too short to be secrets, so reasons stay readable', () => {
    expect(redactSecrets('HTTP 401 for v1', ['1', 'v1'])).toBe('HTTP 401 for v1');
  });
});
