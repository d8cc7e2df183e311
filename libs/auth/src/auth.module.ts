import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type Redis from 'ioredis';
import type { Pool } from 'pg';
import type { ServiceName } from '@toolport/contracts';
import { EVENT_STORE, type EventStore, runMigrations } from '@toolport/event-store';
import { AuthFailureMonitor } from './auth-failures/auth-failure-monitor';
import { RedisFailureWindow } from './auth-failures/failure-window';
import { AuthGuard } from './auth.guard';
import { Authenticator } from './authenticator';
import { BootstrapAdminKey } from './bootstrap-admin';
import { revocationMigrations, RevocationChecker } from './revocation';
import { authMigrations, loadSigningKey, type SigningKey } from './signing-keys';
import { TokenService } from './tokens';

export interface AuthModuleOptions {
  /** JWT `iss` (default `toolport`). */
  issuer?: string;
  /** JWT `aud`: tokens issued for another audience are refused. */
  audience: string;
  /** The bootstrap admin key (the app reads TOOLPORT_ADMIN_KEY); at least 32 characters. */
  adminKey?: string;
  pool: Pool;
  /** `<instance>_auth`: the signing key all services of the instance share. */
  authSchema: string;
  /** The service's own schema, where its `revoked_tokens` projection lives. */
  serviceSchema: string;
  /** An Ed25519 seed in hex (MCP_REGISTRY_JWT_PRIVATE_KEY format); without it the key lives in Postgres. */
  seedHex?: string;
  /** How often revocations of expired tokens are deleted (default hourly). */
  revocationPurgeIntervalMs?: number;
  /** Burst detection of refused authentications (auth-failures/); off when absent or threshold 0. */
  failureBursts?: AuthFailureBurstOptions;
}

export interface AuthFailureBurstOptions {
  /** The observing service: the events go to its own event store (EVENT_STORE) and stream. */
  service: ServiceName;
  /** Shared by the service's replicas, so they count one window per source. */
  redis: Redis;
  /** `<instance>:authfail:<service>`. */
  keyPrefix: string;
  threshold: number;
  windowSeconds: number;
}

/** What AUTH_OPTIONS provides: the options without their secrets, so no injector hands those out. */
export type AuthSettings = Omit<AuthModuleOptions, 'adminKey' | 'seedHex' | 'failureBursts'>;
export const AUTH_OPTIONS = Symbol.for('toolport.auth.Options');
export const SIGNING_KEY = Symbol.for('toolport.auth.SigningKey');
const DEFAULT_PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** Starts and stops the periodic purge of `revoked_tokens` with the application. */
@Injectable()
class RevocationPurgeSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(RevocationChecker) private readonly checker: RevocationChecker,
    @Inject(AUTH_OPTIONS) private readonly options: AuthSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.checker.startPurging(this.options.revocationPurgeIntervalMs ?? DEFAULT_PURGE_INTERVAL_MS);
  }

  onApplicationShutdown(): void {
    this.checker.stop();
  }
}

/**
 * Authentication for one service: migrates the auth and revocation tables, loads the signing
 * key, and guards every route (AuthGuard as APP_GUARD). Global, so feature modules can inject
 * TokenService without importing it.
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions): DynamicModule {
    // Constructed here so that a bad key stops the app before it listens.
    const adminKey = options.adminKey === undefined ? null : new BootstrapAdminKey(options.adminKey);
    const logger = new Logger('Auth');
    const { adminKey: _adminKey, seedHex: _seedHex, failureBursts, ...settings } = options;
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: AUTH_OPTIONS, useValue: settings satisfies AuthSettings },
        {
          provide: SIGNING_KEY,
          useFactory: async (): Promise<SigningKey> => {
            if (options.seedHex === undefined) await runMigrations(options.pool, options.authSchema, authMigrations);
            const key = await loadSigningKey({ pool: options.pool, schema: options.authSchema, seedHex: options.seedHex });
            logger.log(`JWT signing key ${key.kid} (${key.source})`);
            return key;
          },
        },
        {
          provide: RevocationChecker,
          useFactory: async (): Promise<RevocationChecker> => {
            await runMigrations(options.pool, options.serviceSchema, revocationMigrations);
            return new RevocationChecker({
              pool: options.pool,
              schema: options.serviceSchema,
              onPurgeError: (error) => logger.warn(`purging expired revocations failed: ${String(error)}`),
            });
          },
        },
        {
          provide: TokenService,
          inject: [SIGNING_KEY, RevocationChecker],
          useFactory: (key: SigningKey, revocations: RevocationChecker) =>
            new TokenService({ key, issuer: options.issuer, audience: options.audience, revocations }),
        },
        {
          provide: Authenticator,
          inject: [TokenService],
          useFactory: (tokens: TokenService) => new Authenticator(tokens, adminKey),
        },
        {
          provide: AuthFailureMonitor,
          // The service's event store comes from the platform; without one (or with detection off) nothing is counted.
          inject: [{ token: EVENT_STORE, optional: true }],
          useFactory: (store: EventStore | undefined): AuthFailureMonitor | null => {
            if (!failureBursts || failureBursts.threshold <= 0 || !store) return null;
            const detection = { threshold: failureBursts.threshold, windowMs: failureBursts.windowSeconds * 1000 };
            return new AuthFailureMonitor({
              service: failureBursts.service,
              window: new RedisFailureWindow(failureBursts.redis, failureBursts.keyPrefix, detection),
              store,
              detection,
              onError: (error) => logger.warn(`counting a refused authentication failed: ${String(error)}`),
            });
          },
        },
        RevocationPurgeSchedule,
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [AUTH_OPTIONS, SIGNING_KEY, TokenService, Authenticator, RevocationChecker],
    };
  }
}
