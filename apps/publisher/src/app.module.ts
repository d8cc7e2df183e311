import { type DynamicModule, Module } from '@nestjs/common';
import { type ServiceRuntime, serviceModule } from '@toolport/platform';
import { TokensModule } from '@toolport/auth';
/** Owns the server and version aggregates, namespace grants and API tokens. */
@Module({})
export class PublisherModule {}

export function publisherAppModule(runtime: ServiceRuntime): DynamicModule {
  return serviceModule(PublisherModule, runtime, { relay: true, imports: [TokensModule.forRoot()] });
}
