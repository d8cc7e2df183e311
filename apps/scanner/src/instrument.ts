// Imported first by main.ts: OpenTelemetry must start before http, Fastify or Nest are loaded.
import { loadConfigOrExit } from '@toolport/config';
import { startTelemetry } from '@toolport/observability';
import { loadConfig } from './config';

export const config = loadConfigOrExit('toolport-scanner', () => loadConfig());
startTelemetry({ serviceName: 'toolport-scanner', otlpEndpoint: config.otlpEndpoint ?? undefined });
