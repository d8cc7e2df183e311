import { readPlatformConfig } from '@toolport/config';
import { eventStoreMigrations } from '@toolport/event-store';
import { TEST_DATABASE_URL, TEST_NATS_URL, TEST_REDIS_URL, testInstanceName } from '@toolport/testing';
import { InfrastructureUnavailableError, openServiceRuntime } from './service-runtime';

// A service that cannot reach PostgreSQL, NATS or Redis must say so in one line each: which,
// where, and how to start it (no stack trace wall). Nothing listens on port 9 (discard) here.
const instance = testInstanceName('preflight');
const config = (overrides: Record<string, string>) =>
  readPlatformConfig({ TOOLPORT_INSTANCE: instance, DATABASE_URL: TEST_DATABASE_URL, NATS_URL: TEST_NATS_URL, REDIS_URL: TEST_REDIS_URL, ...overrides }, 'audit', 0);

async function unavailableLines(overrides: Record<string, string>): Promise<string[]> {
  try {
    const runtime = await openServiceRuntime(config(overrides), eventStoreMigrations);
    await runtime.close();
  } catch (error) {
    expect(error).toBeInstanceOf(InfrastructureUnavailableError);
    return (error as InfrastructureUnavailableError).lines;
  }
  throw new Error('the runtime opened although a service was unreachable');
}

it.each([
  ['PostgreSQL', { DATABASE_URL: 'postgres://postgres:secret@127.0.0.1:9/toolport' }, /^toolport-audit: cannot reach PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:9\/toolport \(ECONNREFUSED\); start it with `pg_ctlcluster/],
  ['NATS', { NATS_URL: 'nats://127.0.0.1:9' }, /^toolport-audit: cannot reach NATS at nats:\/\/127\.0\.0\.1:9 \(.+\); start it with `nats-server -js`/],
  ['Redis', { REDIS_URL: 'redis://127.0.0.1:9' }, /^toolport-audit: cannot reach Redis at redis:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\); start it with `redis-server/],
])('names %s, its URL (password hidden) and how to start it, in one line', async (_name, overrides, expected) => {
  const lines = await unavailableLines(overrides);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(expected);
  expect(lines[0]).not.toContain('\n');
  expect(lines[0]).not.toContain('secret');
});

it('lists every unreachable service at once', async () => {
  const lines = await unavailableLines({ NATS_URL: 'nats://127.0.0.1:9', REDIS_URL: 'redis://127.0.0.1:9' });
  expect(lines.map((l) => l.split(' at ')[0])).toEqual(['toolport-audit: cannot reach NATS', 'toolport-audit: cannot reach Redis']);
});
