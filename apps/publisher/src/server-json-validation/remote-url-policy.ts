import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { createLogger } from '@toolport/observability';
import { PLATFORM_CONFIG, type PlatformConfig } from '@toolport/platform';

/** Options of the semantic rules that depend on the installation. */
export interface ServerJsonRuleOptions {
  /**
   * TOOLPORT_ALLOW_LOCAL_REMOTES (development and tests only, default false): remotes may use
   * http:// and loopback hosts, so a local MCP server can be published and probed. Off in
   * production: a remote is reached over the network by every client.
   */
  allowLocalRemotes?: boolean;
}

export const SERVER_JSON_RULES = Symbol.for('toolport.publisher.ServerJsonRules');

@Injectable()
class LocalRemotesWarning implements OnApplicationBootstrap {
  constructor(
    @Inject(SERVER_JSON_RULES) private readonly rules: ServerJsonRuleOptions,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}
  onApplicationBootstrap(): void {
    if (!this.rules.allowLocalRemotes) return;
    createLogger({ service: this.config.service, level: this.config.logLevel }).warn(
      'TOOLPORT_ALLOW_LOCAL_REMOTES=true: remotes may use http:// and loopback URLs. For development and tests only; never in production',
    );
  }
}

/** Provides the rule options to publish and validate alike, so /validate answers what publish would. */
@Global()
@Module({})
export class ServerJsonRulesModule {
  static forRoot(options: ServerJsonRuleOptions): DynamicModule {
    return { module: ServerJsonRulesModule, providers: [{ provide: SERVER_JSON_RULES, useValue: options }, LocalRemotesWarning], exports: [SERVER_JSON_RULES] };
  }
}
