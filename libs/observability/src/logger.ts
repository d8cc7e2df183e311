import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino from 'pino';

export type Logger = pino.Logger;

export interface LoggerOptions {
  /** Written as `service` on every line, so the all-in-one process's logs can be told apart. */
  service: string;
  /** pino level name: fatal, error, warn, info (default), debug, trace, silent. */
  level?: string;
  /** Where lines go (default stdout). Tests pass a stream that collects them. */
  destination?: pino.DestinationStream;
}

/**
 * Property names whose values never reach a log line, wherever they sit in a logged object up to
 * three levels down (a request's `headers.authorization`, an error's `config.headers.Authorization`,
 * a command's `data.registry_token`). Redaction matches keys, not message text: do not interpolate
 * secrets into messages.
 */
const SECRET_KEYS = [
  'authorization',
  'Authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'password',
  'secret',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'registry_token',
  'registryToken',
  'privateKey',
  'private_key',
  'apiKey',
  'api_key',
  'clientSecret',
  'client_secret',
] as const;

const key = (name: string): string => (/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `["${name}"]`);

export const REDACTED_PATHS: readonly string[] = SECRET_KEYS.flatMap((name) => [
  key(name).replace(/^\./, ''),
  `*${key(name)}`,
  `*.*${key(name)}`,
  `*.*.*${key(name)}`,
]);

export const REDACTED = '[REDACTED]';

/**
 * A JSON logger. Every line carries `service`, an ISO `time`, the level as a word and, when a span
 * is active, its `trace_id` and `span_id`, so a log line leads to its trace and back.
 */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: options.service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACTED_PATHS], censor: REDACTED },
      mixin: activeSpanFields,
    },
    options.destination,
  );
}

function activeSpanFields(): Record<string, string> {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId };
}
