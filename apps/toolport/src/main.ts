// OpenTelemetry must start before http, Fastify or Nest are loaded: this file imports only
// configuration and telemetry, and loads the services afterwards.
import { startTelemetry } from '@toolport/observability';
import { loadConfig } from './config';

function main(): void {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    process.stderr.write(`toolport: ${(error as Error).message}\n`);
    process.exit(2);
  }
  startTelemetry({ serviceName: 'toolport', otlpEndpoint: config.otlpEndpoint ?? undefined });
  void (async () => {
    const { exitOnStartupError } = await import('@toolport/platform');
    try {
      const { startToolport } = await import('./launcher');
      const running = await startToolport(config);
      process.stdout.write(`${JSON.stringify({ level: 'info', time: new Date().toISOString(), service: 'toolport', msg: `Toolport listening on ${running.url} (API docs at ${running.url}/docs)` })}\n`);
      let closing = false;
      const shutdown = (signal: string) => {
        if (closing) return;
        closing = true;
        process.stdout.write(`${JSON.stringify({ level: 'info', time: new Date().toISOString(), service: 'toolport', msg: `${signal}: draining and stopping` })}\n`);
        void running.close().then(() => process.exit(0), () => process.exit(1));
      };
      process.on('SIGINT', () => shutdown('SIGINT'));
      process.on('SIGTERM', () => shutdown('SIGTERM'));
    } catch (error) {
      exitOnStartupError(error);
    }
  })();
}

main();
