import { createLogger } from '@toolport/observability';

/** The part of a pino logger the library uses (pino's argument order: fields, then message). */
export interface MessagingLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export function defaultMessagingLogger(): MessagingLogger {
  return createLogger({ service: 'messaging' });
}

export function errorFields(error: unknown): { error: string; errorName?: string } {
  if (error instanceof Error) return { error: error.message, errorName: error.name };
  return { error: String(error) };
}
