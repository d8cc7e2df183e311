import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import { type ErrorKind, type ProblemDetails, ToolportError } from '@toolport/contracts';
import { type UnstorableCharacter, unstorableCharacterError } from './input-text-guard';

const STATUS_BY_KIND: Record<ErrorKind, number> = {
  invalid: 400,
  unprocessable: 422,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

export const statusOfKind = (kind: ErrorKind): number => STATUS_BY_KIND[kind];

const titleOf = (status: number): string => STATUS_CODES[status] ?? 'Error';

/**
 * Turns anything thrown into RFC 9457 problem details in the official registry's shape
 * (`{title, status, detail, errors}`), plus `code`. Unknown errors become a 500 whose detail
 * says nothing about internals; the caller logs the original.
 */
export function toProblem(error: unknown, instance?: string): { problem: ProblemDetails; expected: boolean; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  if (error instanceof ToolportError) {
    const status = statusOfKind(error.kind);
    if (error.kind === 'unauthenticated') headers['www-authenticate'] = 'Bearer';
    return {
      problem: {
        title: titleOf(status),
        status,
        detail: error.detail,
        code: error.code,
        instance,
        ...(error.errors.length > 0 ? { errors: error.errors } : {}),
      },
      expected: true,
      headers,
    };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    const detail = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : error.message;
    return { problem: { title: titleOf(status), status, detail, instance, code: codeFromStatus(status) }, expected: status < 500, headers };
  }
  const character = unstorableParameterCharacter(error);
  if (character !== null) {
    // Not `expected`: the caller gets its 400, and the log shows the path the input guard missed.
    const { detail, code } = unstorableCharacterError('a text value of the request', character);
    return { problem: { title: titleOf(400), status: 400, detail, code, instance }, expected: false, headers };
  }
  // Fastify's own errors (body too large, bad JSON, unsupported media type) carry a statusCode and code.
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    const status = fastifyError.statusCode;
    return {
      problem: { title: titleOf(status), status, detail: describeFastifyError(fastifyError), code: fastifyError.code ?? codeFromStatus(status), instance },
      expected: true,
      headers,
    };
  }
  return {
    problem: { title: titleOf(500), status: 500, detail: 'The server failed to handle this request; the error is logged.', code: 'INTERNAL', instance },
    expected: false,
    headers,
  };
}

/**
 * PostgreSQL refusing a character of a value the server bound as a query parameter: the safety
 * net behind installInputTextGuard, for input that reaches SQL in another form (decoded, say).
 * Evidence that the value came from outside, and that a 400 hides no server bug: node-postgres
 * sends JS strings as UTF-8, so the only byte a text parameter can be refused for is 0x00 (22021);
 * jsonb refuses `\u0000` (22P05) and unpaired surrogates (22P02 "Unicode low surrogate must
 * follow a high surrogate"); `where` ("unnamed portal parameter $2") says the value was a bound
 * parameter, not SQL the server wrote nor rows it stored; and no service binds such strings of its
 * own (its NUL separators are in-memory map keys). Any other 22021/22P05/22P02 (another byte, a bad
 * uuid or integer cast) stays a 500, as does a server answering in another language (lc_messages).
 */
function unstorableParameterCharacter(error: unknown): UnstorableCharacter | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, message, detail, where } = error as { code?: unknown; message?: unknown; detail?: unknown; where?: unknown };
  if (typeof where !== 'string' || !/\bparameter \$\d+/.test(where)) return null;
  if (code === '22021' && typeof message === 'string' && message.endsWith(': 0x00')) return 'nul';
  if (code === '22P05' && typeof detail === 'string' && detail.startsWith('\\u0000 ')) return 'nul';
  if (code === '22P02' && typeof detail === 'string' && /^Unicode (low|high) surrogate must/.test(detail)) return 'unpaired-surrogate';
  return null;
}

function describeFastifyError(error: { code?: string; message?: string }): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is larger than this server accepts (TOOLPORT_BODY_LIMIT_BYTES).';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported content type: send application/json.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The request body is empty but the content type says JSON.';
    default:
      return error.message ?? 'Bad request';
  }
}

function codeFromStatus(status: number): string {
  return (STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/[^A-Z]+/g, '_');
}
