// Imported first by main.ts: OpenTelemetry must start before http, Fastify or Nest are loaded.
import { loadConfigOrExit } from '@toolport/config';
import { startTelemetry } from '@toolport/observability';
import { loadConfig } from './config';

export const config = loadConfigOrExit('toolport-catalog', () => loadConfig());
startTelemetry({ serviceName: 'toolport-catalog', otlpEndpoint: config.otlpEndpoint ?? undefined });
