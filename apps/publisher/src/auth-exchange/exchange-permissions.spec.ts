import { canPerform, type Grants } from '@toolport/auth';
import { anonymousPermissions, configuredPermissions, domainPermissions, githubOwnerPermissions } from './exchange-permissions';

const publisher = (permissions: Grants['permissions']): Grants => ({ roles: ['publisher'], permissions });

describe('exchange permissions', () => {
  it('http: publish com.example/* only', () => {
    const grants = publisher(domainPermissions('example.com', false));
    expect(grants.permissions).toEqual([{ action: 'publish', resource: 'com.example/*' }]);
    expect(canPerform(grants, 'publish', 'com.example/server')).toBe(true);
    expect(canPerform(grants, 'publish', 'com.example.api/server')).toBe(false);
    expect(canPerform(grants, 'edit', 'com.example/server')).toBe(false);
  });

  it('dns: publish com.example/* and com.example.* (subdomains), not look-alikes', () => {
    const grants = publisher(domainPermissions('example.com', true));
    expect(grants.permissions).toEqual([
      { action: 'publish', resource: 'com.example/*' },
      { action: 'publish', resource: 'com.example.*' },
    ]);
    expect(canPerform(grants, 'publish', 'com.example.api/server')).toBe(true);
    expect(canPerform(grants, 'publish', 'com.examplex/server')).toBe(false);
    expect(canPerform(grants, 'publish', 'com.other/server')).toBe(false);
  });

  it('github-oidc: publish io.github.<owner>/*', () => {
    const grants = publisher(githubOwnerPermissions('octo-org'));
    expect(canPerform(grants, 'publish', 'io.github.octo-org/tool')).toBe(true);
    expect(canPerform(grants, 'publish', 'io.github.octo-org2/tool')).toBe(false);
  });

  it('none: publish and edit in the anonymous namespace', () => {
    const grants = publisher(anonymousPermissions());
    expect(canPerform(grants, 'publish', 'io.modelcontextprotocol.anonymous/x')).toBe(true);
    expect(canPerform(grants, 'edit', 'io.modelcontextprotocol.anonymous/x')).toBe(true);
    expect(canPerform(grants, 'publish', 'io.github.someone/x')).toBe(false);
  });

  it('oidc: the configured publish and edit patterns', () => {
    expect(configuredPermissions(['*'], ['com.acme/*'])).toEqual([
      { action: 'publish', resource: '*' },
      { action: 'edit', resource: 'com.acme/*' },
    ]);
  });
});
