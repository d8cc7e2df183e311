import { type DynamicModule, Module } from '@nestjs/common';
import { type ServiceRuntime, serviceModule } from '@toolport/platform';
import type { HealthConfig } from './config';
import { HealthApiModule } from './health-api/health-api.module';
import { createMcpProber } from './probing/mcp-prober';
import type { Prober } from './probing/probe-result';
import { ProbeSchedulingModule } from './scheduling/scheduling.module';
import { TargetsModule } from './targets/targets.module';

/** Owns endpoint health: probes, status changes, tool drift. */
@Module({})
export class HealthModule {}

export interface HealthAppOptions {
  /** The prober (default: the real MCP prober with the address guard, from config.probe). */
  prober?: Prober;
}

export function healthAppModule(runtime: ServiceRuntime, config: HealthConfig, options: HealthAppOptions = {}): DynamicModule {
  const prober = options.prober ?? createMcpProber(config.probe);
  return serviceModule(HealthModule, runtime, {
    relay: true,
    imports: [TargetsModule, ProbeSchedulingModule.forRoot(config, prober), HealthApiModule],
  });
}
