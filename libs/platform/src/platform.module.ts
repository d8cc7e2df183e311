import { type DynamicModule, Global, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EventRegistry } from '@toolport/contracts';
import { EVENT_STORE, PostgresEventStore } from '@toolport/event-store';
import { HealthController } from './health.controller';
import { ReadinessRegistry } from './readiness';
import type { ServiceRuntime } from './service-runtime';

export const SERVICE_RUNTIME = Symbol.for('toolport.ServiceRuntime');
export const PG_POOL = Symbol.for('toolport.PgPool');
export const REDIS = Symbol.for('toolport.Redis');
export const PLATFORM_CONFIG = Symbol.for('toolport.PlatformConfig');

class RuntimeCloser implements OnApplicationShutdown {
  constructor(private readonly runtime: ServiceRuntime) {}
  async onApplicationShutdown(): Promise<void> {
    await this.runtime.close();
  }
}

/**
 * Makes one service's runtime (pool, Redis, readiness, event registry, event store, config) injectable, and
 * serves /healthz, /readyz, /metrics. Global inside one service's Nest application only: every
 * service is its own application, also when the launcher runs all five in one process.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRuntime(runtime: ServiceRuntime): DynamicModule {
    return {
      module: PlatformModule,
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_RUNTIME, useValue: runtime },
        { provide: PG_POOL, useValue: runtime.pool },
        { provide: REDIS, useValue: runtime.redis },
        { provide: PLATFORM_CONFIG, useValue: runtime.config },
        { provide: ReadinessRegistry, useValue: runtime.readiness },
        { provide: EventRegistry, useValue: runtime.events },
        { provide: EVENT_STORE, useValue: new PostgresEventStore({ pool: runtime.pool, schema: runtime.schema, registry: runtime.events }) },
        { provide: RuntimeCloser, useFactory: () => new RuntimeCloser(runtime) },
      ],
      exports: [SERVICE_RUNTIME, PG_POOL, REDIS, PLATFORM_CONFIG, ReadinessRegistry, EventRegistry, EVENT_STORE],
    };
  }
}
