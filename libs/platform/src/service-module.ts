import { type DynamicModule, Inject, Injectable, type ModuleMetadata, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/nats-core';
import { AuthModule } from '@toolport/auth';
import { CONSUMER_REGISTRY, type ConsumerRegistry, MessagingModule, messagingReadiness, NATS_CONNECTION } from '@toolport/messaging';
import { createLogger } from '@toolport/observability';
import { ConsumersAdminController } from './consumers-admin.controller';
import { PlatformModule } from './platform.module';
import { ReadinessRegistry } from './readiness';
import type { ServiceRuntime } from './service-runtime';
import { TokenRevocationsConsumer } from './token-revocations.consumer';

@Injectable()
class MessagingReadinessRegistration implements OnApplicationBootstrap {
  constructor(
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(CONSUMER_REGISTRY) private readonly consumers: ConsumerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.readiness.register({ name: 'nats', check: () => messagingReadiness(this.nc, this.consumers) });
  }
}

export interface ServiceModuleOptions {
  /** Services that append events run the relay that publishes them. */
  relay: boolean;
  imports?: ModuleMetadata['imports'];
  controllers?: ModuleMetadata['controllers'];
  providers?: ModuleMetadata['providers'];
}

/**
 * The infrastructure every service has, around its own feature modules: runtime (pool, Redis,
 * readiness, event store), JetStream (relay and consumers), authentication, token revocations
 * and the admin endpoints for halted consumers.
 */
export function serviceModule(root: Type, runtime: ServiceRuntime, options: ServiceModuleOptions): DynamicModule {
  const { config } = runtime;
  return {
    module: root,
    imports: [
      PlatformModule.forRuntime(runtime),
      MessagingModule.forRoot({
        instance: config.instance,
        service: config.service,
        natsUrl: config.natsUrl,
        pool: runtime.pool,
        schema: runtime.schema,
        registry: runtime.events,
        relay: options.relay,
        replicas: config.natsReplicas,
        logger: createLogger({ service: config.service, level: config.logLevel }),
        ...(config.natsDefinitionsDir ? { definitionsPath: config.natsDefinitionsDir } : {}),
      }),
      AuthModule.forRoot({
        issuer: config.jwtIssuer,
        audience: config.jwtIssuer,
        adminKey: config.adminKey ?? undefined,
        pool: runtime.pool,
        authSchema: `${config.instance}_auth`,
        serviceSchema: runtime.schema,
        seedHex: config.jwtSeedHex ?? undefined,
        // Every service observes refused authentications and emits bursts of them about itself.
        failureBursts: {
          service: config.service,
          redis: runtime.redis,
          keyPrefix: `${config.instance}:authfail:${config.service}`,
          threshold: config.authFailureBurstThreshold,
          windowSeconds: config.authFailureBurstWindowSeconds,
        },
      }),
      ...(options.imports ?? []),
    ],
    controllers: [ConsumersAdminController, ...(options.controllers ?? [])],
    providers: [TokenRevocationsConsumer, MessagingReadinessRegistration, ...(options.providers ?? [])],
  };
}
