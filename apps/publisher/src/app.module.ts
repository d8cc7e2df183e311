import { type DynamicModule, Module } from '@nestjs/common';
import { TokensModule } from '@toolport/auth';
import { type ServiceRuntime, serviceModule } from '@toolport/platform';
import { AuthExchangeModule } from './auth-exchange/auth-exchange.module';
import type { PublisherConfig } from './config';
import { remoteUrlClaimMigrations } from './servers/remote-url-claims';
import { RegistryInfoController, REGISTRY_INFO } from './registry-info/registry-info.controller';
import { ServerJsonRulesModule } from './server-json-validation/remote-url-policy';
import { ServerJsonValidationModule } from './server-json-validation/server-json-validation.module';
import { PackageVerificationModule } from './package-verification/package-verification.module';
import { ServersModule } from './servers/servers.module';
import { ToolCompatibilityModule } from './tool-compatibility/tool-compatibility.module';

/** Owns the server and version aggregates, namespace policies and API tokens. */
@Module({})
export class PublisherModule {}

export const publisherMigrations = remoteUrlClaimMigrations;

export function publisherAppModule(runtime: ServiceRuntime, config: PublisherConfig): DynamicModule {
  return serviceModule(PublisherModule, runtime, {
    relay: true,
    imports: [
      TokensModule.forRoot(),
      AuthExchangeModule.forRoot(config.authExchange),
      ServerJsonRulesModule.forRoot({ allowLocalRemotes: config.allowLocalRemotes }),
      ServerJsonValidationModule,
      ToolCompatibilityModule,
      PackageVerificationModule.forRoot(config.packageVerification),
      ServersModule.forRoot([ToolCompatibilityModule]),
    ],
    controllers: [RegistryInfoController],
    providers: [{ provide: REGISTRY_INFO, useValue: config.registryInfo }],
  });
}
