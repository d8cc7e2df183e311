import { JsonNestLogger } from './json-nest-logger';
import { createLogger } from './logger';

function nestLogger(level = 'trace'): { lines: Record<string, unknown>[]; logger: JsonNestLogger } {
  const lines: Record<string, unknown>[] = [];
  const pino = createLogger({ service: 'health', level, destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { lines, logger: new JsonNestLogger(pino) };
}

describe('JsonNestLogger', () => {
  it('maps every Nest level to a pino level and keeps Nest context', () => {
    const { lines, logger } = nestLogger();
    logger.log('Mapped {/status, GET} route', 'RouterExplorer');
    logger.warn('slow');
    logger.debug('d', 'Ctx');
    logger.verbose('v', 'Ctx');
    logger.fatal('f', 'Ctx');
    expect(lines.map((line) => [line['level'], line['msg'], line['context']])).toEqual([
      ['info', 'Mapped {/status, GET} route', 'RouterExplorer'],
      ['warn', 'slow', undefined],
      ['debug', 'd', 'Ctx'],
      ['trace', 'v', 'Ctx'],
      ['fatal', 'f', 'Ctx'],
    ]);
    expect(lines[0]).toMatchObject({ service: 'health' });
  });

  it('keeps an error stack apart from the context, as Nest passes them', () => {
    const { lines, logger } = nestLogger();
    const stack = new Error('boom').stack!;
    logger.error('request failed', stack, 'ExceptionsHandler');
    logger.error('no context', stack);
    logger.error('undefined stack', undefined, 'InstanceLoader');
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'request failed', stack, context: 'ExceptionsHandler' });
    expect(lines[1]).toMatchObject({ msg: 'no context', stack });
    expect(lines[1]).not.toHaveProperty('context');
    expect(lines[2]).toMatchObject({ msg: 'undefined stack', context: 'InstanceLoader' });
    expect(lines[2]).not.toHaveProperty('params');
  });

  it('serializes Error and object messages, redacting secrets in them', () => {
    const { lines, logger } = nestLogger();
    logger.error(new Error('db down'), 'Bootstrap');
    logger.log({ event: 'listening', token: 'secret-value' }, 'Main');
    expect(lines[0]).toMatchObject({ msg: 'db down', context: 'Bootstrap', err: { type: 'Error', message: 'db down' } });
    expect(lines[1]).toMatchObject({ context: 'Main', data: { event: 'listening', token: '[REDACTED]' } });
    expect(JSON.stringify(lines[1])).not.toContain('secret-value');
  });

  it('honours setLogLevels', () => {
    const { lines, logger } = nestLogger();
    logger.setLogLevels(['error', 'warn']);
    logger.log('hidden');
    logger.warn('shown');
    expect(lines.map((line) => line['msg'])).toEqual(['shown']);
  });
});
