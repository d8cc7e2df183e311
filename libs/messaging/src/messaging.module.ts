import 'reflect-metadata';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import {
  type BeforeApplicationShutdown,
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import type { EventRegistry, ServiceName } from '@toolport/contracts';
import { type EventStore, PostgresEventStore, runMigrations } from '@toolport/event-store';
import { createLogger } from '@toolport/observability';
import type { Pool } from 'pg';
import { ConsumerRegistry } from './consumer-registry';
import { ConsumerRunner, type ProjectionBatchHandlerFn } from './consumer-runner';
import type { ConsumedEvent } from './envelope-codec';
import { jetStreamConsumerMetadata, type ProjectionHandler, type WorkHandler } from './consumer.decorator';
import { findConsumerDefinition } from './definitions';
import type { MessagingLogger } from './messaging-logger';
import { CONSUMER_REGISTRY, MESSAGING_OPTIONS, NATS_CONNECTION } from './messaging.tokens';
import { messagingMigrations } from './migrations';
import { loadMessagingDefinitions, provisionJetStream } from './provisioning';
import { EventRelay, type EventRelayOptions } from './relay';

export interface MessagingModuleOptions {
  instance: string;
  service: ServiceName;
  natsUrl: string;
  /** The service's pool and schema: relay checkpoint, projection checkpoints, event store. */
  pool: Pool;
  schema: string;
  registry: EventRegistry;
  /** Folder holding streams.json and consumers.json (default: the repository's infra/nats). */
  definitionsPath?: string;
  /** Run the relay for this service's events (services that append events). */
  relay: boolean;
  /** Stream replicas, overriding the files (3 on a JetStream cluster). */
  replicas?: number;
  /** Defaults to a PostgresEventStore on `pool`/`schema`. */
  store?: EventStore;
  relayOptions?: Pick<EventRelayOptions, 'batchSize' | 'pollIntervalMs' | 'lockRetryMs' | 'retryDelayMs'>;
  /** Consumer pull period, which bounds how long shutdown waits for an idle runner (default 2000 ms). */
  fetchExpiresMs?: number;
  logger?: MessagingLogger;
}

/**
 * Starts what MessagingModule promises, in order: messaging tables, streams and consumers, the
 * relay, then one runner per decorated consumer. Stops in the reverse order; runners and relay
 * in `beforeApplicationShutdown`, i.e. before any module's `onApplicationShutdown` may close
 * the pool they write to, and the NATS connection last.
 */
@Injectable()
export class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private relay: EventRelay | undefined;
  private readonly logger: MessagingLogger;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(CONSUMER_REGISTRY) private readonly consumers: ConsumerRegistry,
    @Inject(DiscoveryService) private readonly discovery: DiscoveryService,
  ) {
    this.logger = options.logger ?? createLogger({ service: options.service });
  }

  async onApplicationBootstrap(): Promise<void> {
    const { options } = this;
    await runMigrations(options.pool, options.schema, messagingMigrations);
    const definitions = await loadMessagingDefinitions(options.definitionsPath);
    const report = await provisionJetStream(await jetstreamManager(this.nc), options.instance, definitions, { replicas: options.replicas });
    const touched = [...report.streams, ...report.consumers].filter((item) => item.action !== 'unchanged');
    if (touched.length > 0) this.logger.info({ provisioned: touched }, 'JetStream streams and consumers provisioned');

    if (options.relay) {
      this.relay = new EventRelay({
        ...options.relayOptions,
        pool: options.pool,
        schema: options.schema,
        store: options.store ?? new PostgresEventStore({ pool: options.pool, schema: options.schema, registry: options.registry }),
        js: jetstream(this.nc),
        instance: options.instance,
        registry: options.registry,
        logger: this.logger,
      });
      this.relay.start();
    }

    for (const wrapper of this.discovery.getProviders()) {
      const metadata = jetStreamConsumerMetadata(wrapper.metatype);
      if (!metadata || !wrapper.instance) continue;
      const definition = findConsumerDefinition(definitions, `${options.service}-${metadata.purpose}`);
      const common = { nc: this.nc, instance: options.instance, definition, logger: this.logger, fetchExpiresMs: options.fetchExpiresMs };
      const runner =
        metadata.kind === 'projection'
          ? new ConsumerRunner({
              ...common,
              kind: 'projection',
              pool: options.pool,
              schema: options.schema,
              handler: bindHandler<ProjectionHandler>(wrapper.instance),
              ...batchHandlerOf(wrapper.instance as ProjectionHandler),
            })
          : new ConsumerRunner({ ...common, kind: 'work', handler: bindHandler<WorkHandler>(wrapper.instance) });
      this.consumers.add(runner);
      runner.start();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumers.stopAll();
    await this.relay?.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain();
  }
}

function batchHandlerOf(handler: ProjectionHandler): { batchHandler?: ProjectionBatchHandlerFn; afterCommit?: (events: readonly ConsumedEvent[]) => void } {
  return {
    ...(typeof handler.handleBatch === 'function' ? { batchHandler: handler.handleBatch.bind(handler) } : {}),
    ...(typeof handler.afterCommit === 'function' ? { afterCommit: handler.afterCommit.bind(handler) } : {}),
  };
}

function bindHandler<H extends ProjectionHandler | WorkHandler>(instance: unknown): H['handle'] {
  const handler = instance as H;
  if (typeof handler.handle !== 'function') {
    throw new Error(`${(instance as object).constructor.name} is decorated as a JetStream consumer but has no handle() method`);
  }
  return handler.handle.bind(handler) as H['handle'];
}

/**
 * JetStream for one service's Nest application: NATS connection `toolport-<service>`, streams
 * and consumers from infra/nats, the relay, and a runner for each provider decorated with
 * @ProjectionConsumer / @WorkConsumer. Global within that application (every service is its own
 * application, so DiscoveryService only sees that service's providers).
 */
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        {
          provide: NATS_CONNECTION,
          useFactory: () => connect({ servers: options.natsUrl, name: `toolport-${options.service}`, maxReconnectAttempts: -1 }),
        },
        { provide: CONSUMER_REGISTRY, useFactory: () => new ConsumerRegistry() },
        MessagingLifecycle,
      ],
      exports: [NATS_CONNECTION, CONSUMER_REGISTRY],
    };
  }
}
