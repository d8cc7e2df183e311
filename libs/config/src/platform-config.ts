import { assertInstanceName, type ServiceName } from '@toolport/contracts';
import { parseTrustProxy, type TrustProxy } from './trust-proxy';

/**
 * Settings every service shares. Apps read `process.env` only in their own `config.ts`,
 * which passes it here; defaults are documented in README.md ("Configuration").
 */
export interface PlatformConfig {
  service: ServiceName;
  instance: string;
  host: string;
  port: number;
  databaseUrl: string;
  databasePoolMax: number;
  natsUrl: string;
  natsReplicas: number;
  /** Folder with streams.json and consumers.json; null means the repository's infra/nats. */
  natsDefinitionsDir: string | null;
  redisUrl: string;
  meiliUrl: string | null;
  logLevel: string;
  otlpEndpoint: string | null;
  bodyLimitBytes: number;
  /**
   * Which proxies' X-Forwarded-For is believed for the client IP (Fastify `trustProxy`); false:
   * none, the TCP peer is the client. See trust-proxy.ts.
   */
  trustProxy: TrustProxy;
  /** Writes (POST/PUT/PATCH/DELETE) allowed per client IP per minute; 0 turns the limit off. */
  rateLimitIpPerMinute: number;
  /** Writes allowed per bearer token per minute; 0 turns the limit off. */
  rateLimitTokenPerMinute: number;
  /** Failed authentications (401) from one client IP within the window that make a burst event; 0 turns detection off. */
  authFailureBurstThreshold: number;
  /** The sliding window failed authentications are counted in, in seconds. */
  authFailureBurstWindowSeconds: number;
  adminKey: string | null;
  jwtSeedHex: string | null;
  jwtIssuer: string;
  version: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Collects every problem before failing, so one start shows them all. */
export class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  string(name: string, fallback: string): string {
    const value = this.env[name];
    return value === undefined || value === '' ? fallback : value;
  }

  optional(name: string): string | null {
    const value = this.env[name];
    return value === undefined || value === '' ? null : value;
  }

  int(name: string, fallback: number, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name}=${raw} must be an integer between ${min} and ${max}`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    this.problems.push(`${name}=${raw} must be true or false`);
    return fallback;
  }

  url(name: string, fallback: string | null, protocols: string[]): string | null {
    const raw = this.optional(name) ?? fallback;
    if (raw === null) return null;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        this.problems.push(`${name}=${redactUrl(raw)} must use ${protocols.join(' or ')}`);
      }
    } catch {
      this.problems.push(`${name}=${redactUrl(raw)} is not a valid URL`);
    }
    return raw;
  }

  check(name: string, ok: boolean, message: string): void {
    if (!ok) this.problems.push(`${name} ${message}`);
  }

  done(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}

/** Hide a password in a URL before it is printed anywhere. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
  }
}

export function readPlatformConfig(env: Env, service: ServiceName, defaultPort: number): PlatformConfig {
  const read = new EnvReader(env);
  const instance = read.string('TOOLPORT_INSTANCE', 'toolport');
  try {
    assertInstanceName(instance);
  } catch (error) {
    read.problems.push((error as Error).message);
  }
  const adminKey = read.optional('TOOLPORT_ADMIN_KEY');
  read.check('TOOLPORT_ADMIN_KEY', adminKey === null || adminKey.length >= 32, 'must be at least 32 characters');
  const jwtSeedHex = read.optional('TOOLPORT_JWT_PRIVATE_KEY');
  read.check('TOOLPORT_JWT_PRIVATE_KEY', jwtSeedHex === null || /^[0-9a-fA-F]{64}$/.test(jwtSeedHex), 'must be a 32-byte Ed25519 seed in hex (64 characters)');
  const trustProxy = parseTrustProxy(env['TOOLPORT_TRUST_PROXY']);
  if ('problem' in trustProxy) read.problems.push(`TOOLPORT_TRUST_PROXY=${env['TOOLPORT_TRUST_PROXY']} ${trustProxy.problem}`);
  const config: PlatformConfig = {
    service,
    instance,
    host: read.string('HOST', '127.0.0.1'),
    port: read.int('PORT', defaultPort, { min: 0, max: 65535 }),
    databaseUrl: read.url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/toolport', ['postgres:', 'postgresql:'])!,
    databasePoolMax: read.int('TOOLPORT_DB_POOL_MAX', 5, { min: 1, max: 100 }),
    natsUrl: read.url('NATS_URL', 'nats://127.0.0.1:4222', ['nats:', 'tls:'])!,
    natsReplicas: read.int('TOOLPORT_NATS_REPLICAS', 1, { min: 1, max: 5 }),
    natsDefinitionsDir: read.optional('TOOLPORT_NATS_DEFINITIONS'),
    redisUrl: read.url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:'])!,
    meiliUrl: read.url('MEILI_URL', null, ['http:', 'https:']),
    logLevel: read.string('LOG_LEVEL', 'info'),
    otlpEndpoint: read.url('OTEL_EXPORTER_OTLP_ENDPOINT', null, ['http:', 'https:']),
    bodyLimitBytes: read.int('TOOLPORT_BODY_LIMIT_BYTES', 1024 * 1024, { min: 1024, max: 64 * 1024 * 1024 }),
    // Off by default: with every proxy trusted, a client names its own "IP" in X-Forwarded-For
    // and so escapes the per-IP rate limit and failed-authentication counting.
    trustProxy: 'value' in trustProxy ? trustProxy.value : false,
    // 180/min per IP is what the official registry's ingress allows (BEHAVIOUR.md "Rate limits").
    rateLimitIpPerMinute: read.int('TOOLPORT_RATE_LIMIT_IP_PER_MINUTE', 180, { min: 0 }),
    rateLimitTokenPerMinute: read.int('TOOLPORT_RATE_LIMIT_TOKEN_PER_MINUTE', 600, { min: 0 }),
    // 10 refusals a minute is well above a client retrying with one stale token, and well below
    // any guessing or credential-stuffing rate worth telling an auditor about.
    authFailureBurstThreshold: read.int('TOOLPORT_AUTH_FAILURE_BURST_THRESHOLD', 10, { min: 0, max: 100_000 }),
    authFailureBurstWindowSeconds: read.int('TOOLPORT_AUTH_FAILURE_BURST_WINDOW_SECONDS', 60, { min: 1, max: 86_400 }),
    adminKey,
    jwtSeedHex,
    jwtIssuer: read.string('TOOLPORT_JWT_ISSUER', 'toolport'),
    version: read.string('TOOLPORT_VERSION', '0.1.0'),
  };
  read.check('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(config.logLevel), 'must be one of fatal, error, warn, info, debug, trace, silent');
  read.done();
  return config;
}

/** For a main.ts: the configuration, or the list of problems on stderr and exit status 2. */
export function loadConfigOrExit<T>(program: string, load: () => T): T {
  try {
    return load();
  } catch (error) {
    process.stderr.write(`${program}: ${(error as Error).message}\n`);
    process.exit(2);
  }
}
