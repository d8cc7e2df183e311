import { randomBytes } from 'node:crypto';

/**
 * Addresses of the real services integration tests talk to. Tests read them from here only;
 * they default to the local machine's services (see ../shared/STACK.md).
 */
export const TEST_DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/toolport_test';
export const TEST_NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
export const TEST_REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
/** A Meilisearch server for the search adapter's contract tests; none runs on the development machines (null). */
export const TEST_MEILI_URL: string | null = process.env['MEILI_URL'] || null;
/** Its key, when the server requires one. */
export const TEST_MEILI_API_KEY: string | null = process.env['MEILI_API_KEY'] || null;

/** A fresh TOOLPORT_INSTANCE per test file, so parallel runs never see each other. */
export function testInstanceName(label = 't'): string {
  const clean = label.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 12) || 't';
  return `it_${clean}_${randomBytes(4).toString('hex')}`;
}

/** The environment a service under test reads: this machine's services and one instance. */
export function testEnv(instance: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    TOOLPORT_INSTANCE: instance,
    DATABASE_URL: TEST_DATABASE_URL,
    NATS_URL: TEST_NATS_URL,
    REDIS_URL: TEST_REDIS_URL,
    LOG_LEVEL: 'warn',
    TOOLPORT_ADMIN_KEY: TEST_ADMIN_KEY,
    // Tests never reach public registries: a test that scans package contents points the scanner
    // at a local Verdaccio and turns this on (apps/scanner/src/reviews/auto-approval.int-spec.ts).
    TOOLPORT_SCANNER_FETCH_PACKAGES: 'false',
    ...extra,
  };
}

export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdefghijklmnop';

/** Polls `probe` until it returns something other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, { timeoutMs = 10_000, intervalMs = 50, what = 'condition' } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}
