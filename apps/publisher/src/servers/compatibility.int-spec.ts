import { TEST_ADMIN_KEY } from '@toolport/testing';
import { bearer, type PublisherTestApp, startPublisher } from '../__fixtures__/publisher-test-app';

// Tool-signature versioning end to end: the namespace policy set by an admin decides whether a
// breaking tool change without a major bump is refused (enforce) or recorded (warn).
let publisher: PublisherTestApp;
let token: string;

const tool = (name: string, properties: Record<string, unknown>, required: string[] = []) => ({
  name,
  description: `${name} tool`,
  inputSchema: { type: 'object', properties, required },
});
const v1Tools = [tool('diff', { base: { type: 'string' }, head: { type: 'string' } }, ['base', 'head']), tool('log', { limit: { type: 'integer' } })];
const body = (name: string, version: string, tools: unknown[]) => ({
  $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
  name,
  description: 'A git server',
  version,
  _meta: { 'io.toolport/tools': tools },
});
const publish = (payload: object) => publisher.request({ method: 'POST', url: '/v0/publish', headers: bearer(token), payload });
const setPolicy = (namespace: string, semverPolicy: string, auth = TEST_ADMIN_KEY) =>
  publisher.request({ method: 'PUT', url: '/api/v1/namespaces/policy', headers: bearer(auth), payload: { namespace, semverPolicy } });
const compatibility = (name: string, version: string) =>
  publisher.request({ method: 'GET', url: `/api/v1/servers/${encodeURIComponent(name)}/versions/${version}/compatibility` });

// Removes a tool and adds a required parameter: two breaking changes.
const breakingTools = [tool('diff', { base: { type: 'string' }, head: { type: 'string' }, path: { type: 'string' } }, ['base', 'head', 'path'])];

beforeAll(async () => {
  publisher = await startPublisher('compat');
  token = await publisher.anonymousToken();
}, 60_000);

afterAll(async () => {
  await publisher?.close();
});

it('refuses a breaking change without a major bump under enforce, listing each change, and accepts it as a major', async () => {
  const name = 'io.modelcontextprotocol.anonymous/git-enforced';
  expect((await setPolicy('io.modelcontextprotocol.anonymous/git-enforced', 'enforce')).statusCode).toBe(200);
  expect((await publish(body(name, '1.0.0', v1Tools))).statusCode).toBe(200);

  const refused = await publish(body(name, '1.1.0', breakingTools));
  expect(refused.statusCode).toBe(422);
  expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = refused.json<{ code: string; detail: string; errors: Array<{ message: string; location: string }> }>();
  expect(problem.code).toBe('BREAKING_CHANGE_WITHOUT_MAJOR');
  expect(problem.detail).toContain('1.0.0');
  expect(problem.errors.map((e) => e.location).sort()).toEqual(['tools.diff.inputSchema.properties.path', 'tools.log'].sort());
  expect((await compatibility(name, '1.1.0')).statusCode).toBe(404); // nothing stored

  const major = await publish(body(name, '2.0.0', breakingTools));
  expect(major.statusCode).toBe(200);
  const report = (await compatibility(name, '2.0.0')).json<{ baseVersion: string; bump: string; breaking: boolean; policy: string; changes: Array<{ kind: string }> }>();
  expect(report).toMatchObject({ baseVersion: '1.0.0', bump: 'major', breaking: true, policy: 'enforce' });
  expect(report.changes.map((c) => c.kind).sort()).toEqual(['required-parameter-added', 'tool-removed']);
});

it('accepts the same change under the default warn policy and records the report with the version and its event', async () => {
  const name = 'io.modelcontextprotocol.anonymous/git-warned';
  expect((await publish(body(name, '1.0.0', v1Tools))).statusCode).toBe(200);
  const accepted = await publish(body(name, '1.1.0', breakingTools));
  expect(accepted.statusCode).toBe(200);
  expect(accepted.json()._meta['io.toolport/compatibility']).toMatchObject({ breaking: true, policy: 'warn', baseVersion: '1.0.0', bump: 'minor' });
  const report = (await compatibility(name, '1.1.0')).json<{ breaking: boolean; changes: unknown[] }>();
  expect(report.breaking).toBe(true);
  expect(report.changes).toHaveLength(2);
  const pool = publisher.app.get<symbol, import('pg').Pool>(Symbol.for('toolport.PgPool'));
  const { rows } = await pool.query(`select data from ${publisher.instance}_publisher.events where stream_id = $1 and type = 'VersionPublished' and data->>'version' = '1.1.0'`, [`server-${name}`]);
  expect(rows[0].data.compatibility).toMatchObject({ breaking: true, policy: 'warn', baseVersion: '1.0.0' });
});

it('lets only an admin set a policy', async () => {
  expect((await setPolicy('io.modelcontextprotocol.anonymous/*', 'enforce', token)).statusCode).toBe(403);
});
