import { hostname } from 'node:os';
import { type BeforeApplicationShutdown, type DynamicModule, Inject, Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_STORE, type PostgresEventStore } from '@toolport/event-store';
import { createLogger } from '@toolport/observability';
import { PgListener, SERVICE_RUNTIME, type ServiceRuntime } from '@toolport/platform';
import type { HealthConfig } from '../config';
import type { Prober } from '../probing/probe-result';
import { targetsChannel } from '../targets/health.migrations';
import { ProbeRunner } from './probe-runner';
import { ProbeScheduler } from './probe-scheduler';

export const PROBER = Symbol.for('toolport.health.Prober');
const HEALTH_CONFIG = Symbol.for('toolport.health.Config');

@Injectable()
class ProbeSchedulingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private scheduler: ProbeScheduler | undefined;
  private listener: PgListener | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(PROBER) private readonly prober: Prober,
    @Inject(HEALTH_CONFIG) private readonly config: HealthConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { runtime, config } = this;
    if (!config.health.worker) return;
    const logger = createLogger({ service: config.service, level: config.logLevel });
    const worker = `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const runner = new ProbeRunner({
      pool: runtime.pool,
      schema: runtime.schema,
      store: this.store,
      prober: this.prober,
      secrets: config.headerSecrets,
      thresholds: { slowMs: config.health.slowMs, downAfter: config.health.downAfter, upAfter: config.health.upAfter },
      probesKept: config.health.probesKept,
      worker,
    });
    const scheduler = new ProbeScheduler({
      redisUrl: config.redisUrl,
      instance: config.instance,
      pool: runtime.pool,
      schema: runtime.schema,
      settings: config.health,
      secrets: config.headerSecrets,
      runner,
      logger,
    });
    this.scheduler = scheduler;
    await scheduler.startWorker(worker);
    // Every committed targets change (and every reconnection) reconciles the schedulers.
    this.listener = new PgListener({
      pool: runtime.pool,
      channel: targetsChannel(runtime.schema),
      onNotify: () => void scheduler.requestReconcile(),
      onError: (error) => logger.warn({ err: error }, 'probe scheduler: targets listener failed; reconnecting'),
    });
    await this.listener.start();
    this.timer = setInterval(() => void scheduler.requestReconcile(), config.health.reconcileMs);
    this.timer.unref();
  }

  // Before the platform closes the pool the runner writes through.
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.listener?.stop();
    await this.scheduler?.close();
  }
}

/** Probe scheduling and the probe worker of this replica (off with TOOLPORT_HEALTH_WORKER=false). */
@Module({})
export class ProbeSchedulingModule {
  static forRoot(config: HealthConfig, prober: Prober): DynamicModule {
    return {
      module: ProbeSchedulingModule,
      providers: [{ provide: PROBER, useValue: prober }, { provide: HEALTH_CONFIG, useValue: config }, ProbeSchedulingLifecycle],
    };
  }
}
