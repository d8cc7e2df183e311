import { randomBytes } from 'node:crypto';

/**
 * Addresses of the real services integration tests talk to. Tests read them from here only;
 * they default to the local machine's services (see ../shared/STACK.md).
 */
export const TEST_DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/toolport_test';
export const TEST_NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
export const TEST_REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A fresh TOOLPORT_INSTANCE per test file, so parallel runs never see each other. */
export function testInstanceName(label = 't'): string {
  const clean = label.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 12) || 't';
  return `it_${clean}_${randomBytes(4).toString('hex')}`;
}
