import { ConfigError, type PlatformConfig } from '@toolport/config';
import { RateLimiter } from './rate-limit';
import { createServiceApp, type ServiceApp, type ServiceAppOptions } from './service-app';
import type { ServiceDefinition } from './service-definition';
import { InfrastructureUnavailableError, openServiceRuntime } from './service-runtime';

/** Build one service (runtime + Nest app, not yet listening). Used by main.ts, the launcher and tests. */
export async function buildService<C extends PlatformConfig>(definition: ServiceDefinition<C>, config: C, options: ServiceAppOptions = {}): Promise<ServiceApp> {
  const runtime = await openServiceRuntime(config, definition.migrations);
  const rateLimiter = new RateLimiter({
    redis: runtime.redis,
    prefix: `${config.instance}:ratelimit:${config.service}`,
    ipPerMinute: config.rateLimitIpPerMinute,
    tokenPerMinute: config.rateLimitTokenPerMinute,
  });
  try {
    return await createServiceApp(definition.module(runtime, config), config, { rateLimiter, ...options });
  } catch (error) {
    await runtime.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Start-up failures a person must act on are printed as the lines that say what to do, and the
 * process exits non-zero: no stack trace wall for a service that is simply not running.
 */
export function exitOnStartupError(error: unknown): never {
  if (error instanceof InfrastructureUnavailableError || error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(error instanceof ConfigError ? 2 : 1);
  }
  process.stderr.write(`toolport: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}

export async function runStandalone<C extends PlatformConfig>(definition: ServiceDefinition<C>, config: C): Promise<void> {
  try {
    const { app } = await buildService(definition, config);
    await app.listen({ host: config.host, port: config.port });
    process.stdout.write(`${JSON.stringify({ level: 'info', service: definition.name, msg: `listening on http://${config.host}:${config.port}` })}\n`);
  } catch (error) {
    exitOnStartupError(error);
  }
}
