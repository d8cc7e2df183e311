import type { DynamicModule } from '@nestjs/common';
import type { Env, PlatformConfig } from '@toolport/config';
import type { ServiceName } from '@toolport/contracts';
import type { Migration } from '@toolport/event-store';
import type { ServiceRuntime } from './service-runtime';

/** Requests a service answers when all five share one port: a method set and a path prefix. */
export interface RouteClaim {
  prefix: string;
  methods?: readonly string[];
  /** Narrows a prefix to paths matching this too (`/api/v1/servers/.../compatibility`). */
  pattern?: RegExp;
}

/** Everything the standalone runner and the all-in-one launcher need to start a service. */
export interface ServiceDefinition<C extends PlatformConfig = PlatformConfig> {
  name: ServiceName;
  defaultPort: number;
  migrations: readonly Migration[];
  /** The service's configuration from an environment (its config.ts; main.ts passes process.env). */
  loadConfig(env: Env): C;
  module(runtime: ServiceRuntime, config: C): DynamicModule;
  routes: readonly RouteClaim[];
}

/** Claims shared by every service: its admin endpoints are addressed by consumer name. */
export const adminRoutesOf = (service: ServiceName): RouteClaim[] => [{ prefix: `/api/v1/admin/consumers/${service}-` }];

/** `/v0` and `/v0.1` are served by the same handlers (official registry compatibility). */
export const officialPrefixes = (path: string, methods?: readonly string[]): RouteClaim[] =>
  ['/v0', '/v0.1'].map((version) => ({ prefix: `${version}${path}`, ...(methods ? { methods } : {}) }));
