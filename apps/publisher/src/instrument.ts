// Imported first by main.ts: OpenTelemetry must start before http, Fastify or Nest are loaded.
import { loadConfigOrExit } from '@toolport/config';
import { startTelemetry } from '@toolport/observability';
import { loadConfig } from './config';

export const config = loadConfigOrExit('toolport-publisher', () => loadConfig());
startTelemetry({ serviceName: 'toolport-publisher', otlpEndpoint: config.otlpEndpoint ?? undefined });
