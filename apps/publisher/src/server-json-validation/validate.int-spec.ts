import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { OFFICIAL_SCHEMA_ID } from '@toolport/contracts';
import { buildService } from '@toolport/platform';
import { destroyInstance, TEST_ADMIN_KEY, testEnv, testInstanceName } from '@toolport/testing';
import { publisherService } from '../service';
import { ServerJsonValidationModule } from './server-json-validation.module';
import type { ValidationReport } from './validate-server-json';

// The whole publisher (Postgres, NATS, Redis, auth guard, problem+json filter, rate limit) with
// this feature module mounted as app.module.ts will mount it.
const instance = testInstanceName('validate');
const withValidation: typeof publisherService = {
  ...publisherService,
  module: (runtime, config) => {
    const root = publisherService.module(runtime, config);
    return { ...root, imports: [...(root.imports ?? []), ServerJsonValidationModule] };
  },
};
let app: NestFastifyApplication;

beforeAll(async () => {
  app = (await buildService(withValidation, withValidation.loadConfig(testEnv(instance)))).app;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await destroyInstance(instance);
});

const valid = { $schema: OFFICIAL_SCHEMA_ID, name: 'com.example/test-server', description: 'A test server', version: '1.0.0' };

async function validate(version: string, payload: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const response = await app.inject({ method: 'POST', url: `/${version}/validate`, headers, payload });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  return response.json<ValidationReport>();
}

describe.each(['v0', 'v0.1'])('POST /%s/validate', (version) => {
  it('answers 200 valid for a valid server.json, without a token', async () => {
    expect(await validate(version, JSON.stringify(valid))).toEqual({ valid: true, issues: [] });
  });

  it('answers 200 with the issues for an invalid one', async () => {
    const report = await validate(version, JSON.stringify({ ...valid, version: '^1.0.0', remotes: [{ type: 'sse', url: 'http://localhost/sse' }] }));
    expect(report.valid).toBe(false);
    expect(report.issues.map((issue) => [issue.type, issue.path, issue.reference])).toEqual([
      ['semantic', 'version', 'version-looks-like-range'],
      ['semantic', 'remotes[0].url', 'invalid-remote-url'],
    ]);
  });

  it('answers 200 with a json issue for malformed JSON', async () => {
    const report = await validate(version, '{"name": "com.example/x",');
    expect(report).toEqual({
      valid: false,
      issues: [{ type: 'json', path: '', message: expect.stringMatching(/^invalid JSON: /), severity: 'error', reference: 'invalid-json' }],
    });
  });

  it('answers 200 with a json issue for an empty body, with or without a content type', async () => {
    const empty = { valid: false, issues: [expect.objectContaining({ type: 'json', reference: 'json-empty-body' })] };
    expect(await validate(version, '')).toEqual(empty);
    expect(await validate(version, '', {})).toEqual(empty);
  });

  it('answers 200 whatever the content type says', async () => {
    expect(await validate(version, JSON.stringify(valid), { 'content-type': 'text/plain' })).toEqual({ valid: true, issues: [] });
    expect((await validate(version, '<server/>', { 'content-type': 'application/xml' })).issues[0]).toMatchObject({ type: 'json', reference: 'invalid-json' });
  });
});

describe('the rest of the publisher', () => {
  it('keeps its own JSON parsing: malformed JSON elsewhere is still a 400 problem', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ADMIN_KEY}` },
      payload: '{"subject": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('keeps refusing other media types elsewhere with 415', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { 'content-type': 'application/xml', authorization: `Bearer ${TEST_ADMIN_KEY}` },
      payload: '<token/>',
    });
    expect(response.statusCode).toBe(415);
  });

  it('refuses the private media type elsewhere, as any unknown type', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { 'content-type': 'application/x.toolport-validate-body', authorization: `Bearer ${TEST_ADMIN_KEY}` },
      payload: '{"subject": "robot", "roles": ["reader"]}',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json<{ code: string }>().code).toBe('FST_ERR_CTP_INVALID_MEDIA_TYPE');
  });
});
