import { ed25519Signer, p384Signer, rfc3339 } from './__fixtures__/proof-keys';
import type { WellKnownTarget } from './exchange-domain';
import { ExchangeRefused } from './exchange-failure';
import { exchangeDns, exchangeHttp } from './signed-timestamp.exchange';
import type { TxtResolver } from './txt-records';

const NOW = new Date('2026-03-01T12:00:00Z');
const TIMESTAMP = rfc3339(NOW);

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ExchangeRefused)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error.reason;
}

describe('exchangeHttp', () => {
  const signer = ed25519Signer();
  const fetched: WellKnownTarget[] = [];
  const serving = (body: string) => async (target: WellKnownTarget) => {
    fetched.push(target);
    return body;
  };
  const request = { domain: 'Example.com', timestamp: TIMESTAMP, signedTimestamp: signer.sign(TIMESTAMP) };

  beforeEach(() => fetched.splice(0));

  it('grants publish on the reversed domain only, naming the method in the subject', async () => {
    const grant = await exchangeHttp(request, { now: NOW, allowInsecureLoopback: false, fetchWellKnown: serving(`${signer.record}\n`) });
    expect(grant).toEqual({
      method: 'http',
      subject: 'http:example.com',
      authMethodSub: 'example.com',
      permissions: [{ action: 'publish', resource: 'com.example/*' }],
    });
    expect(fetched.map((t) => t.url.toString())).toEqual(['https://example.com/.well-known/mcp-registry-auth']);
  });

  it('accepts any one verifying line of the file (old and new key during a rotation)', async () => {
    const other = p384Signer();
    const body = `# keys\r\n${other.record}\r\n${signer.record}\r\n`;
    await expect(exchangeHttp(request, { now: NOW, allowInsecureLoopback: false, fetchWellKnown: serving(body) })).resolves.toMatchObject({
      method: 'http',
    });
  });

  it('checks the timestamp and the signature format before fetching anything', async () => {
    const deps = { now: new Date(NOW.getTime() + 60_000), allowInsecureLoopback: false, fetchWellKnown: serving(signer.record) };
    expect(await refusal(exchangeHttp(request, deps))).toMatch(/60 s behind the registry's clock/);
    expect(await refusal(exchangeHttp({ ...request, signedTimestamp: 'xyz' }, { ...deps, now: NOW }))).toMatch(/must be the signature in hex/);
    expect(await refusal(exchangeHttp({ ...request, domain: '10.0.0.1' }, { ...deps, now: NOW }))).toMatch(/is an IP address/);
    expect(fetched).toEqual([]);
  });

  it('says when the file holds no proof record, or one with an unusable key', async () => {
    const deps = (body: string) => ({ now: NOW, allowInsecureLoopback: false, fetchWellKnown: serving(body) });
    expect(await refusal(exchangeHttp(request, deps('<html>hello</html>')))).toBe(
      'no MCPv1 proof record (v=MCPv1; k=<ed25519|ecdsap384>; p=<base64 public key>) found in the response of https://example.com/.well-known/mcp-registry-auth',
    );
    expect(await refusal(exchangeHttp(request, deps('v=MCPv1; k=rsa; p=AAAA')))).toBe('unsupported key algorithm k=rsa (supported: ed25519, ecdsap384)');
    expect(await refusal(exchangeHttp(request, deps('v=MCPv1; k=rsa; p=AAAA\nv=MCPv1; k=ed25519; p=AAAA')))).toMatch(
      /^none of the 2 proof records .* holds a usable key: unsupported key algorithm k=rsa .*; an Ed25519 public key has 32 bytes/,
    );
    expect(await refusal(exchangeHttp(request, deps(ed25519Signer().record)))).toMatch(/does not match the published key ed25519:/);
  });
});

describe('exchangeDns', () => {
  const signer = p384Signer();
  const request = { domain: 'example.com', timestamp: TIMESTAMP, signedTimestamp: signer.sign(TIMESTAMP) };
  const zone =
    (records: Record<string, string[]>): TxtResolver =>
    async (name) => {
      const found = records[name];
      if (!found) throw Object.assign(new Error('queryTxt ENODATA'), { code: 'ENODATA' });
      return found.map((record) => [record.slice(0, 20), record.slice(20)]);
    };

  it('grants publish on the reversed domain and its subdomains', async () => {
    const grant = await exchangeDns(request, { now: NOW, resolveTxt: zone({ 'example.com': ['v=spf1 -all', signer.record] }) });
    expect(grant).toEqual({
      method: 'dns',
      subject: 'dns:example.com',
      authMethodSub: 'example.com',
      permissions: [
        { action: 'publish', resource: 'com.example/*' },
        { action: 'publish', resource: 'com.example.*' },
      ],
    });
  });

  it('refuses a signature by another key, and hints at a record under a selector', async () => {
    const wrong = await refusal(exchangeDns(request, { now: NOW, resolveTxt: zone({ 'example.com': [p384Signer().record] }) }));
    expect(wrong).toMatch(/does not match the published key ecdsap384:/);
    const hint = await refusal(exchangeDns(request, { now: NOW, resolveTxt: zone({ '_mcp-auth.example.com': [signer.record] }) }));
    expect(hint).toMatch(/one was found at _mcp-auth\.example\.com/);
    const none = await refusal(exchangeDns(request, { now: NOW, resolveTxt: zone({}) }));
    expect(none).toMatch(/no MCPv1 proof record .* found in the TXT records of example\.com/);
  });
});
