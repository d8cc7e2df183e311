import { type Env, EnvReader, type PlatformConfig, readPlatformConfig } from '@toolport/config';
import { type ArtifactConfig, readArtifactConfig } from './artifacts';

/** Scan jobs and the reconciler (README "Scanner: score and trust level" and the configuration table). */
export interface ScanPipelineConfig {
  /** TOOLPORT_SCANNER_CONCURRENCY (default 2): scan jobs one worker runs at once. */
  concurrency: number;
  /** TOOLPORT_SCANNER_JOB_TIMEOUT_MS (default 120000): a scan running longer is aborted (a retryable failure). */
  jobTimeoutMs: number;
  /** TOOLPORT_SCANNER_ATTEMPTS (default 4): runs of a job whose failures are retryable, the first included. */
  attempts: number;
  /** TOOLPORT_SCANNER_BACKOFF_MS (default 5000): wait before the first retry; doubled for each next one. */
  backoffMs: number;
  /** TOOLPORT_SCANNER_LOCK_MS (default 30000): a job's lock; a dead worker's job is taken back after it expires. */
  lockDurationMs: number;
  /** TOOLPORT_SCANNER_STALLED_INTERVAL_MS (default 30000): how often workers look for jobs whose lock expired. */
  stalledIntervalMs: number;
  /** TOOLPORT_SCANNER_RECONCILE_INTERVAL_MS (default 60000): how often missing scans are re-enqueued or requested. */
  reconcileIntervalMs: number;
  /** TOOLPORT_SCANNER_RETRY_FAILED_AFTER_MS (default 900000): a retryably failed scan is requested again this long after it failed. */
  retryFailedAfterMs: number;
  /** TOOLPORT_SCANNER_RETRY_FAILED_LIMIT (default 5): automatic retries in a row; 0 turns them off. */
  retryFailedLimit: number;
  /** TOOLPORT_SCANNER_WORKER (default true): false runs no worker here (API and consumers only). */
  worker: boolean;
}

/** The scanner service's configuration: the only place it reads the environment. */
export interface ScannerConfig extends PlatformConfig {
  scans: ScanPipelineConfig;
  /**
   * TOOLPORT_AUTO_APPROVE_NAMESPACES (default empty = off): comma-separated server-name patterns
   * (`com.acme/*`, an exact name, or `*`) whose `verified` versions are approved automatically.
   */
  autoApproveNamespaces: string[];
  /** What a scan looks at besides the declared tools. */
  packages: PackageScanConfig;
}

/** Package content scanning (README "Scanner: score and trust level", configuration table). */
export interface PackageScanConfig {
  /**
   * TOOLPORT_SCANNER_FETCH_PACKAGES (default true): fetch, unpack and analyse every package of a
   * version. False (air-gapped installs without a registry mirror, tests) analyses the declared
   * tools only and records a TP-SCAN-001 finding per package, so no version reaches `verified`.
   */
  enabled: boolean;
  /** TOOLPORT_SCANNER_ADVISORY_DIR (default none): a directory of OSV JSON advisories (osv.dev exports) for the dependency analyzer. */
  advisoryDir: string | null;
  /** TOOLPORT_SCANNER_NPM_REGISTRY, _PYPI_URL, _FETCH_TIMEOUT_MS, _MAX_* (artifacts/artifact-config.ts). */
  artifacts: ArtifactConfig;
}

export const SCANNER_DEFAULT_PORT = 8083;

export function loadConfig(env: Env = process.env): ScannerConfig {
  const platform = readPlatformConfig(env, 'scanner', SCANNER_DEFAULT_PORT);
  const read = new EnvReader(env);
  const scans: ScanPipelineConfig = {
    concurrency: read.int('TOOLPORT_SCANNER_CONCURRENCY', 2, { min: 1, max: 64 }),
    jobTimeoutMs: read.int('TOOLPORT_SCANNER_JOB_TIMEOUT_MS', 120_000, { min: 100, max: 3_600_000 }),
    attempts: read.int('TOOLPORT_SCANNER_ATTEMPTS', 4, { min: 1, max: 50 }),
    backoffMs: read.int('TOOLPORT_SCANNER_BACKOFF_MS', 5_000, { min: 10, max: 3_600_000 }),
    lockDurationMs: read.int('TOOLPORT_SCANNER_LOCK_MS', 30_000, { min: 500, max: 3_600_000 }),
    stalledIntervalMs: read.int('TOOLPORT_SCANNER_STALLED_INTERVAL_MS', 30_000, { min: 500, max: 3_600_000 }),
    reconcileIntervalMs: read.int('TOOLPORT_SCANNER_RECONCILE_INTERVAL_MS', 60_000, { min: 100, max: 86_400_000 }),
    retryFailedAfterMs: read.int('TOOLPORT_SCANNER_RETRY_FAILED_AFTER_MS', 900_000, { min: 0, max: 604_800_000 }),
    retryFailedLimit: read.int('TOOLPORT_SCANNER_RETRY_FAILED_LIMIT', 5, { min: 0, max: 1_000 }),
    worker: read.bool('TOOLPORT_SCANNER_WORKER', true),
  };
  const autoApproveNamespaces = (read.optional('TOOLPORT_AUTO_APPROVE_NAMESPACES') ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  for (const pattern of autoApproveNamespaces) {
    read.check('TOOLPORT_AUTO_APPROVE_NAMESPACES', !/\s/.test(pattern) && !pattern.slice(0, -1).includes('*'), `entry '${pattern}' may contain '*' only as its last character`);
  }
  const packages: PackageScanConfig = {
    enabled: read.bool('TOOLPORT_SCANNER_FETCH_PACKAGES', true),
    advisoryDir: read.optional('TOOLPORT_SCANNER_ADVISORY_DIR'),
    artifacts: readArtifactConfig(read),
  };
  read.done();
  return { ...platform, scans, autoApproveNamespaces, packages };
}
