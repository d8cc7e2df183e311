import { type Env, EnvReader, type PlatformConfig, readPlatformConfig } from '@toolport/config';
import { type ProbeConfig, readProbeConfig } from './probing/probe-config';
import { HeaderSecrets } from './targets/header-secrets';

/** How often, how many at once, and when a status changes (issue 6 "Settings"). */
export interface HealthSettings {
  /** TOOLPORT_HEALTH_INTERVAL_MS: each target is probed once per interval (default 60000). */
  intervalMs: number;
  /** TOOLPORT_HEALTH_DOWN_INTERVAL_MS: the longer interval of a `down` target (default 5 x the interval). */
  downIntervalMs: number;
  /** TOOLPORT_HEALTH_DOWN_AFTER: consecutive failures before `down` (default 3). */
  downAfter: number;
  /** TOOLPORT_HEALTH_UP_AFTER: consecutive successes before up again (default 2). */
  upAfter: number;
  /** TOOLPORT_HEALTH_SLOW_MS: a successful probe slower than this degrades (default 2000). */
  slowMs: number;
  /** TOOLPORT_HEALTH_CONCURRENCY: probes run at once by one replica (default 16). */
  concurrency: number;
  /** TOOLPORT_HEALTH_PROBES_KEPT: raw probes kept per target beyond the last 24 hours (default 100). */
  probesKept: number;
  /** TOOLPORT_HEALTH_RECONCILE_MS: how often schedulers are compared with the targets besides on every change (default 60000). */
  reconcileMs: number;
  /** TOOLPORT_HEALTH_WORKER: false runs API and projections without probing (default true). */
  worker: boolean;
}

export interface HealthConfig extends PlatformConfig {
  health: HealthSettings;
  probe: ProbeConfig;
  /** From TOOLPORT_HEALTH_HEADERS_FILE (see targets/header-secrets.ts); never logged. */
  headerSecrets: HeaderSecrets;
}

export const HEALTH_DEFAULT_PORT = 8084;

export function loadConfig(env: Env = process.env): HealthConfig {
  const platform = readPlatformConfig(env, 'health', HEALTH_DEFAULT_PORT);
  const read = new EnvReader(env);
  const intervalMs = read.int('TOOLPORT_HEALTH_INTERVAL_MS', 60_000, { min: 100, max: 24 * 3600_000 });
  const health: HealthSettings = {
    intervalMs,
    downIntervalMs: read.int('TOOLPORT_HEALTH_DOWN_INTERVAL_MS', intervalMs * 5, { min: 100, max: 7 * 24 * 3600_000 }),
    downAfter: read.int('TOOLPORT_HEALTH_DOWN_AFTER', 3, { min: 1, max: 100 }),
    upAfter: read.int('TOOLPORT_HEALTH_UP_AFTER', 2, { min: 1, max: 100 }),
    slowMs: read.int('TOOLPORT_HEALTH_SLOW_MS', 2000, { min: 1, max: 600_000 }),
    concurrency: read.int('TOOLPORT_HEALTH_CONCURRENCY', 16, { min: 1, max: 1000 }),
    probesKept: read.int('TOOLPORT_HEALTH_PROBES_KEPT', 100, { min: 1, max: 100_000 }),
    reconcileMs: read.int('TOOLPORT_HEALTH_RECONCILE_MS', 60_000, { min: 100, max: 24 * 3600_000 }),
    worker: read.bool('TOOLPORT_HEALTH_WORKER', true),
  };
  read.check('TOOLPORT_HEALTH_DOWN_INTERVAL_MS', health.downIntervalMs >= intervalMs, 'must not be shorter than TOOLPORT_HEALTH_INTERVAL_MS');
  const probe = readProbeConfig(env, read);
  let headerSecrets = HeaderSecrets.empty();
  const headersFile = read.optional('TOOLPORT_HEALTH_HEADERS_FILE');
  if (headersFile !== null) {
    try {
      headerSecrets = HeaderSecrets.fromFile(headersFile);
    } catch (error) {
      // The message names the file and the faulty key, never a value.
      read.check('TOOLPORT_HEALTH_HEADERS_FILE', false, (error as Error).message);
    }
  }
  read.done();
  return { ...platform, health, probe, headerSecrets };
}
