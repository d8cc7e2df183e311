// OpenTelemetry must start before http, Fastify or Nest are loaded, so this file imports only
// configuration and telemetry, and loads the service afterwards.
import { ConfigError } from '@toolport/config';
import { startTelemetry } from '@toolport/observability';
import { loadConfig } from './config';

function main(): void {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`toolport-audit: ${(error as ConfigError).message}\n`);
    process.exit(2);
  }
  startTelemetry({ serviceName: 'toolport-audit', otlpEndpoint: config.otlpEndpoint ?? undefined });
  void import('@toolport/platform').then(async ({ runStandalone }) => {
    const { auditService } = await import('./service');
    await runStandalone(auditService, config);
  });
}

main();
