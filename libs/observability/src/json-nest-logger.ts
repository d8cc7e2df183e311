import type { LoggerService, LogLevel } from '@nestjs/common';
import type { Logger } from './logger';

type PinoMethod = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

const PINO_METHOD: Record<LogLevel, PinoMethod> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

/** Node's stack format: a first line, then "    at frame (file:line:col)" lines. */
const STACK_FORMAT = /\n\s+at .+/;

/**
 * Nest's own logs (bootstrap, routes, exceptions) as the same JSON lines as ours:
 * `NestFactory.create(AppModule, adapter, { logger: new JsonNestLogger(createLogger({ service })) })`.
 *
 * Nest calls `log(message, context)`, `error(message, stack, context)` (stack may be undefined),
 * or the same without context; a trailing string is Nest's `context` (the class that logged), as in
 * Nest's ConsoleLogger, except that a trailing string shaped like a stack trace is kept as `stack`.
 */
export class JsonNestLogger implements LoggerService {
  private enabled: ReadonlySet<LogLevel> | undefined;

  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('log', message, optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.write('error', message, optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', message, optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, optionalParams);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('verbose', message, optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', message, optionalParams);
  }

  /** Nest's `logger: ['error', 'warn']` option lands here; the pino level still applies too. */
  setLogLevels(levels: LogLevel[]): void {
    this.enabled = new Set(levels);
  }

  private write(level: LogLevel, message: unknown, optionalParams: unknown[]): void {
    if (this.enabled && !this.enabled.has(level)) return;
    const params = [...optionalParams];
    const fields: Record<string, unknown> = {};

    const last = params.at(-1);
    if (typeof last === 'string' && !STACK_FORMAT.test(last)) {
      fields['context'] = last;
      params.pop();
    }
    const rest = params.filter((param) => param !== undefined);
    if (level === 'error' || level === 'fatal') {
      const stackIndex = rest.findIndex((param) => typeof param === 'string' && STACK_FORMAT.test(param));
      if (stackIndex >= 0) fields['stack'] = rest.splice(stackIndex, 1)[0];
    }
    if (rest.length > 0) fields['params'] = rest;

    let text: string | undefined;
    if (message instanceof Error) {
      fields['err'] = message;
      text = message.message;
    } else if (message !== null && typeof message === 'object') {
      fields['data'] = message;
    } else {
      text = String(message);
    }
    this.logger[PINO_METHOD[level]](fields, text);
  }
}
