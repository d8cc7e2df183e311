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
    process.stderr.write(`toolport-publisher: ${(error as ConfigError).message}\n`);
    process.exit(2);
  }
  startTelemetry({ serviceName: 'toolport-publisher', otlpEndpoint: config.otlpEndpoint ?? undefined });
  void import('@toolport/platform').then(async ({ runStandalone }) => {
    const { publisherService } = await import('./service');
    await runStandalone(publisherService, config);
  });
}

main();
