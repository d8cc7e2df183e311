import type { RemoteTransport } from '@toolport/contracts';
import { HeaderSecrets } from './header-secrets';
import { targetIdOf, targetsOf, type TargetRow } from './target';
import { resolveTarget } from './target-resolution';

const row = (remote: Partial<RemoteTransport> & { url: string }, serverName = 'com.acme/billing'): TargetRow => ({
  targetId: 't',
  serverName,
  version: '1.0.0',
  remoteIndex: 0,
  transport: 'streamable-http',
  remoteUrl: remote.url,
  remote: { type: 'streamable-http', ...remote } as RemoteTransport,
  active: true,
});

describe('targets of a version', () => {
  it('are its streamable-http and sse remotes, each with a stable id', () => {
    const targets = targetsOf('io.x/y', '1.0.0', {
      remotes: [{ type: 'streamable-http', url: 'https://a.x.io/mcp' }, { type: 'sse', url: 'https://a.x.io/sse' }, { type: 'stdio' }, 'junk'],
    });
    expect(targets.map((t) => [t.transport, t.remoteUrl, t.remoteIndex])).toEqual([
      ['streamable-http', 'https://a.x.io/mcp', 0],
      ['sse', 'https://a.x.io/sse', 1],
    ]);
    expect(targets[0]!.targetId).toBe(targetIdOf('io.x/y', '1.0.0', 0));
    expect(targetIdOf('io.x/y', '1.0.0', 0)).not.toBe(targetIdOf('io.x/y', '1.0.1', 0));
    expect(targetsOf('io.x/y', '1.0.0', {})).toEqual([]);
  });
});

describe('header secrets', () => {
  const secrets = HeaderSecrets.parse(
    JSON.stringify({ 'com.acme/*': { 'X-Probe': 'toolport', Authorization: 'Bearer ns' }, 'com.acme/billing': { authorization: 'Bearer exact' } }),
    'headers.json',
  );

  it('merges namespace patterns and exact names, the exact name winning per header (case-insensitive)', () => {
    expect(secrets.forServer('com.acme/billing')).toEqual({ 'X-Probe': 'toolport', authorization: 'Bearer exact' });
    expect(secrets.forServer('com.acme/other')).toEqual({ 'X-Probe': 'toolport', Authorization: 'Bearer ns' });
    expect(secrets.forServer('org.other/x')).toEqual({});
  });

  it('refuses malformed files naming the key, never a value', () => {
    expect(() => HeaderSecrets.parse('{', 'h.json')).toThrow('h.json is not valid JSON');
    expect(() => HeaderSecrets.parse('[]', 'h.json')).toThrow(/JSON object/);
    expect(() => HeaderSecrets.parse(JSON.stringify({ 'a/b': { 'Bad Header': 'sekrit-value' } }), 'h.json')).toThrow(/"Bad Header".*not a valid header name/);
    try {
      HeaderSecrets.parse(JSON.stringify({ 'a/b': { X: 42 } }), 'h.json');
    } catch (error) {
      expect((error as Error).message).not.toContain('42');
    }
  });
});

describe('target resolution', () => {
  it('substitutes URL variables from defaults and reports a variable without one as not probeable', () => {
    const ok = resolveTarget(row({ url: 'https://{region}.acme.com/mcp', variables: { region: { default: 'eu' } } } as never), HeaderSecrets.empty());
    expect(ok).toMatchObject({ probeable: true, target: { url: 'https://eu.acme.com/mcp', headers: {} } });
    const missing = resolveTarget(row({ url: 'https://{tenant}.acme.com/mcp', variables: { tenant: { description: 'your tenant' } } } as never), HeaderSecrets.empty());
    expect(missing).toEqual({ probeable: false, reason: 'URL template variable {tenant} has no default' });
  });

  it('needs a configured value for a required secret header, sends fixed non-secret values, and configured headers beside', () => {
    const remote = {
      url: 'https://acme.com/mcp',
      headers: [
        { name: 'Authorization', isRequired: true, isSecret: true, value: 'Bearer {token}' },
        { name: 'X-Client', value: 'toolport' },
        { name: 'X-Optional', value: '{maybe}' },
      ],
    };
    expect(resolveTarget(row(remote as never), HeaderSecrets.empty())).toEqual({
      probeable: false,
      reason: 'required header Authorization has no value configured for com.acme/billing (TOOLPORT_HEALTH_HEADERS_FILE)',
    });
    const secrets = new HeaderSecrets({ 'com.acme/billing': { authorization: 'Bearer s3cr3t', 'X-Extra': '1' } });
    expect(resolveTarget(row(remote as never), secrets)).toMatchObject({
      probeable: true,
      target: { headers: { 'X-Client': 'toolport', authorization: 'Bearer s3cr3t', 'X-Extra': '1' } },
    });
  });

  it('never sends a secret header from server.json, even a literal one', () => {
    const remote = { url: 'https://acme.com/mcp', headers: [{ name: 'X-Key', isSecret: true, value: 'literal' }] };
    expect(resolveTarget(row(remote as never), HeaderSecrets.empty())).toMatchObject({ probeable: true, target: { headers: {} } });
  });
});
