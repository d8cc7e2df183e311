import { type BeforeApplicationShutdown, Inject, Injectable, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { createLogger } from '@toolport/observability';
import { CommittedLog, SERVICE_RUNTIME, type ServiceRuntime, SseFeed } from '@toolport/platform';
import { FleetStatusController, ServerHealthController } from './health.controller';
import { HealthRepository } from './health.repository';
import { HealthStreamController } from './health-stream.controller';
import { healthEventLog, healthStreamFeed, type HealthStreamRecord } from './health-stream';

@Injectable()
class HealthStreamLifecycle implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  constructor(
    @Inject(CommittedLog) private readonly log: CommittedLog<HealthStreamRecord>,
    @Inject(SseFeed) private readonly feed: SseFeed<HealthStreamRecord>,
  ) {}
  onApplicationBootstrap(): Promise<void> {
    return this.log.start();
  }
  // First of the shutdown hooks: open streams would keep the HTTP server from closing.
  onModuleDestroy(): void {
    this.feed.closeAll();
  }
  // Before the platform closes the pool the log reads through.
  beforeApplicationShutdown(): Promise<void> {
    return this.log.stop();
  }
}

/** `/status`, `/api/v1/health/servers/{serverName}` and `/api/v1/health/stream`. */
@Module({
  controllers: [FleetStatusController, ServerHealthController, HealthStreamController],
  providers: [
    { provide: HealthRepository, inject: [SERVICE_RUNTIME], useFactory: (runtime: ServiceRuntime) => new HealthRepository(runtime.pool, runtime.schema) },
    {
      provide: CommittedLog,
      inject: [SERVICE_RUNTIME],
      useFactory: (runtime: ServiceRuntime) => {
        const logger = createLogger({ service: runtime.config.service, level: runtime.config.logLevel });
        return healthEventLog(runtime.pool, runtime.schema, (error) => logger.warn({ err: error }, 'health stream: listening connection failed; reconnecting'));
      },
    },
    {
      provide: SseFeed,
      inject: [CommittedLog, SERVICE_RUNTIME],
      useFactory: (log: CommittedLog<HealthStreamRecord>, runtime: ServiceRuntime) => {
        const logger = createLogger({ service: runtime.config.service, level: runtime.config.logLevel });
        return healthStreamFeed(log, (error) => logger.warn({ err: error }, 'health stream: reading stored events failed; stream ended'));
      },
    },
    HealthStreamLifecycle,
  ],
})
export class HealthApiModule {}
