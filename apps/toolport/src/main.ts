// './instrument' must stay the first import: it starts OpenTelemetry before http and Nest load.
import { config } from './instrument';
import { createLogger } from '@toolport/observability';
import { exitOnStartupError } from '@toolport/platform';
import { startToolport } from './launcher';

async function main(): Promise<void> {
  const running = await startToolport(config);
  const logger = createLogger({ service: 'toolport', level: config.services.publisher.logLevel });
  logger.info(`Toolport listening on ${running.url} (API docs at ${running.url}/docs)`);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info(`${signal}: draining consumers and stopping`);
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch(exitOnStartupError);
