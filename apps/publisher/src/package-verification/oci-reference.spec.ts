import { parseBearerChallenge, parseOciReference } from './oci-reference';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('parseOciReference', () => {
  it.each([
    ['docker.io/acme/thing:1.0.0', { registry: 'docker.io', apiHost: 'registry-1.docker.io', repository: 'acme/thing', tag: '1.0.0', digest: null }],
    ['acme/thing:1.0.0', { registry: 'docker.io', apiHost: 'registry-1.docker.io', repository: 'acme/thing', tag: '1.0.0', digest: null }],
    ['nginx', { registry: 'docker.io', apiHost: 'registry-1.docker.io', repository: 'library/nginx', tag: null, digest: null }],
    ['index.docker.io/nginx:1', { registry: 'index.docker.io', apiHost: 'registry-1.docker.io', repository: 'library/nginx', tag: '1', digest: null }],
    ['ghcr.io/acme/tools/thing:v2', { registry: 'ghcr.io', apiHost: 'ghcr.io', repository: 'acme/tools/thing', tag: 'v2', digest: null }],
    [`ghcr.io/acme/thing@${DIGEST}`, { registry: 'ghcr.io', apiHost: 'ghcr.io', repository: 'acme/thing', tag: null, digest: DIGEST }],
    [`ghcr.io/acme/thing:1.0@${DIGEST}`, { registry: 'ghcr.io', apiHost: 'ghcr.io', repository: 'acme/thing', tag: '1.0', digest: DIGEST }],
    ['127.0.0.1:5000/acme/thing:1.0.0', { registry: '127.0.0.1:5000', apiHost: '127.0.0.1:5000', repository: 'acme/thing', tag: '1.0.0', digest: null }],
    ['localhost/thing', { registry: 'localhost', apiHost: 'localhost', repository: 'thing', tag: null, digest: null }],
    ['us-docker.pkg.dev/p/r/img:1', { registry: 'us-docker.pkg.dev', apiHost: 'us-docker.pkg.dev', repository: 'p/r/img', tag: '1', digest: null }],
  ])('%s', (identifier, expected) => {
    expect(parseOciReference(identifier)).toEqual(expected);
  });

  it.each(['', 'Acme/Thing', 'acme/thing:', 'acme/thing@sha256:short', 'ghcr.io/', 'acme//thing', 'acme/thing:-bad', 'acme/thing:1 2'])('refuses %j', (identifier) => {
    expect(parseOciReference(identifier)).toBeNull();
  });
});

describe('parseBearerChallenge', () => {
  it('reads realm, service and scope, quoted or not', () => {
    expect(parseBearerChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"')).toEqual({
      realm: 'https://auth.docker.io/token',
      service: 'registry.docker.io',
      scope: 'repository:library/nginx:pull',
    });
    expect(parseBearerChallenge('bearer realm=https://ghcr.io/token, service=ghcr.io')).toEqual({ realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: null });
  });

  it('ignores Basic challenges and bearer challenges without a realm', () => {
    expect(parseBearerChallenge('Basic realm="Registry"')).toBeNull();
    expect(parseBearerChallenge('Bearer service="x"')).toBeNull();
    expect(parseBearerChallenge(undefined)).toBeNull();
  });
});
