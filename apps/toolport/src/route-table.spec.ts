import { RouteTable } from './route-table';

describe('RouteTable', () => {
  const table = new RouteTable<string>()
    .add('catalog', [{ prefix: '/v0/servers', methods: ['GET'] }, { prefix: '/api/v1/search' }])
    .add('publisher', [{ prefix: '/v0/servers', methods: ['PATCH', 'PUT'] }, { prefix: '/v0/publish', methods: ['POST'] }])
    .add('scanner', [{ prefix: '/api/v1/admin/consumers/scanner-' }])
    .add('publisher', [{ prefix: '/api/v1/servers', pattern: /^\/api\/v1\/servers\/[^/]+\/versions\/[^/]+\/compatibility$/ }])
    .add('catalog', [{ prefix: '/api/v1/servers' }]);

  it.each([
    ['GET', '/v0/servers?limit=1', 'catalog'],
    ['GET', '/v0/servers/io.x%2Fy/versions/latest', 'catalog'],
    ['PATCH', '/v0/servers/io.x%2Fy/versions/1.0.0/status', 'publisher'],
    ['POST', '/v0/publish', 'publisher'],
    ['OPTIONS', '/v0/publish', 'publisher'],
    ['GET', '/api/v1/search?q=git', 'catalog'],
    ['POST', '/api/v1/admin/consumers/scanner-token-revocations/resume', 'scanner'],
    ['GET', '/api/v1/servers/io.x%2Fy/versions/1.0.0/compatibility', 'publisher'],
    ['GET', '/api/v1/servers/io.x%2Fy/resolve?range=^1', 'catalog'],
  ])('%s %s goes to %s', (method, url, expected) => {
    expect(table.match(method, url)).toBe(expected);
  });

  it.each([
    ['GET', '/v0/publishers'],
    ['DELETE', '/v0/publish'],
    ['GET', '/unknown'],
    ['POST', '/api/v1/admin/consumers/catalog-token-revocations/resume'],
  ])('%s %s matches nothing', (method, url) => {
    expect(table.match(method, url)).toBeNull();
  });
});
