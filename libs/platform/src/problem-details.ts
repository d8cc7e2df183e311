import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import { type ErrorKind, type ProblemDetails, ToolportError } from '@toolport/contracts';

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
