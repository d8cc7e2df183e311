import { type BeforeApplicationShutdown, type DynamicModule, Inject, Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_STORE, type PostgresEventStore } from '@toolport/event-store';
import { type BullJobQueue, createJobQueue, createJobWorker, type JobWorker } from '@toolport/jobs';
import { createLogger, type Logger } from '@toolport/observability';
import { SERVICE_RUNTIME, type ServiceRuntime } from '@toolport/platform';
import type { ScannerConfig } from '../config';
import { AutoApproval } from '../reviews/auto-approval';
import { ReviewCommands } from '../reviews/review-commands';
import type { ScanEngine } from '../scan-engine/scan-engine';
import { SCAN_ENGINE } from '../scan-engine/scan-engine.token';
import { PublisherEventsScanConsumer, ScanRequestsConsumer, ToolDriftScanConsumer } from './scan.consumers';
import { ScanCommands } from './scan-commands';
import { SCAN_QUEUE, type ScanJobData, ScanScheduler } from './scan-job';
import { ScanProcessor } from './scan-processor';
import { ScanReconciler } from './scan-reconciler';
import { ScanVersions } from './scan-versions';
import { ScansController } from './scans.controller';

const SCAN_QUEUE_TOKEN = Symbol.for('toolport.scanner.ScanQueue');
const SCANNER_CONFIG = Symbol.for('toolport.scanner.Config');
const SCANNER_LOGGER = Symbol.for('toolport.scanner.Logger');

/**
 * Starts the worker (unless TOOLPORT_SCANNER_WORKER=false) and the reconciler (at start, then
 * every TOOLPORT_SCANNER_RECONCILE_INTERVAL_MS) once the app is up; stops both before the
 * platform closes the pool.
 */
@Injectable()
export class ScanPipelineLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private worker: JobWorker | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reconciling: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(SCANNER_CONFIG) private readonly config: ScannerConfig,
    @Inject(SCAN_QUEUE_TOKEN) private readonly queue: BullJobQueue<ScanJobData>,
    @Inject(ScanProcessor) private readonly processor: ScanProcessor,
    @Inject(ScanReconciler) readonly reconciler: ScanReconciler,
    @Inject(SCANNER_LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { scans } = this.config;
    if (scans.worker) {
      this.worker = createJobWorker<ScanJobData, string>({
        connection: this.config.redisUrl,
        instance: this.config.instance,
        queueName: SCAN_QUEUE,
        handler: (job) => this.processor.process(job),
        concurrency: scans.concurrency,
        lockDurationMs: scans.lockDurationMs,
        stalledIntervalMs: scans.stalledIntervalMs,
        logger: this.logger,
      });
      await this.worker.ready();
    }
    this.reconcileNow();
    this.timer = setInterval(() => this.reconcileNow(), scans.reconcileIntervalMs);
    this.timer.unref();
  }

  /** One pass at a time; a failed pass (Redis or Postgres down) is logged and the next one tries again. */
  reconcileNow(): Promise<unknown> {
    this.reconciling = this.reconciling.then(() => this.reconciler.reconcile().catch((error: unknown) => this.logger.warn({ err: error }, 'scan reconciler pass failed')));
    return this.reconciling;
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.reconciling;
    await this.worker?.close();
    await this.queue.close();
  }
}

export interface ScansModuleOptions {
  config: ScannerConfig;
  engine: ScanEngine;
}

/** The scan pipeline: version projection, scan aggregate, queue, worker, reconciler and the scans API. */
@Module({})
export class ScansModule {
  static forRoot({ config, engine }: ScansModuleOptions): DynamicModule {
    return {
      module: ScansModule,
      controllers: [ScansController],
      providers: [
        { provide: SCANNER_CONFIG, useValue: config },
        { provide: SCAN_ENGINE, useValue: engine },
        { provide: SCANNER_LOGGER, useFactory: () => createLogger({ service: config.service, level: config.logLevel }).child({ feature: 'scans' }) },
        {
          provide: SCAN_QUEUE_TOKEN,
          inject: [SCANNER_LOGGER],
          useFactory: (logger: Logger) =>
            createJobQueue<ScanJobData>({
              connection: config.redisUrl,
              instance: config.instance,
              queueName: SCAN_QUEUE,
              defaults: { attempts: config.scans.attempts, backoff: { type: 'exponential', delayMs: config.scans.backoffMs } },
              logger,
            }),
        },
        { provide: ScanScheduler, inject: [SCAN_QUEUE_TOKEN], useFactory: (queue: BullJobQueue<ScanJobData>) => new ScanScheduler(queue) },
        { provide: ScanVersions, inject: [SERVICE_RUNTIME], useFactory: (runtime: ServiceRuntime) => new ScanVersions(runtime.pool, runtime.schema) },
        { provide: ScanCommands, inject: [EVENT_STORE, SERVICE_RUNTIME], useFactory: (store: PostgresEventStore, runtime: ServiceRuntime) => new ScanCommands(store, runtime.pool, runtime.schema) },
        { provide: ReviewCommands, inject: [EVENT_STORE, SERVICE_RUNTIME], useFactory: (store: PostgresEventStore, runtime: ServiceRuntime) => new ReviewCommands(store, runtime.pool, runtime.schema) },
        { provide: AutoApproval, inject: [ReviewCommands], useFactory: (reviews: ReviewCommands) => new AutoApproval(config.autoApproveNamespaces, reviews) },
        {
          provide: ScanProcessor,
          inject: [ScanCommands, ScanVersions, AutoApproval, SCANNER_LOGGER],
          useFactory: (commands: ScanCommands, versions: ScanVersions, autoApproval: AutoApproval, logger: Logger) =>
            new ScanProcessor({
              commands,
              versions,
              engine,
              attempts: config.scans.attempts,
              timeoutMs: config.scans.jobTimeoutMs,
              afterCompleted: async (version, state) => void (await autoApproval.afterCompleted(version, state)),
              logger,
            }),
        },
        {
          provide: ScanReconciler,
          inject: [SERVICE_RUNTIME, ScanCommands, ScanScheduler, ScanVersions, AutoApproval, SCANNER_LOGGER],
          useFactory: (runtime: ServiceRuntime, commands: ScanCommands, scheduler: ScanScheduler, versions: ScanVersions, autoApproval: AutoApproval, logger: Logger) =>
            new ScanReconciler({
              pool: runtime.pool,
              schema: runtime.schema,
              commands,
              scheduler,
              rulesVersion: engine.rulesVersion,
              logger,
              versions,
              autoApproval,
              retryFailed: { afterMs: config.scans.retryFailedAfterMs, limit: config.scans.retryFailedLimit },
            }),
        },
        ScanPipelineLifecycle,
        PublisherEventsScanConsumer,
        ToolDriftScanConsumer,
        ScanRequestsConsumer,
      ],
      exports: [SCAN_ENGINE, ScanVersions, ScanCommands, ScanScheduler, ReviewCommands, ScanReconciler, ScanPipelineLifecycle],
    };
  }
}
