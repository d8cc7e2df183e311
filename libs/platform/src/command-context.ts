import type { Actor, CommandContext } from '@toolport/contracts';
import { uuidv7 } from '@toolport/contracts';
import { currentTraceparent } from '@toolport/observability';
import type { FastifyRequest } from 'fastify';

/** Correlation ids a caller may send; the first one present is kept, else one is made. */
const CORRELATION_HEADERS = ['x-correlation-id', 'x-request-id'] as const;
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Who, why and when for a command coming in over HTTP: the authenticated actor, a correlation id
 * (the caller's if it sent a sane one), the active trace and the time.
 */
export function commandContextFromRequest(request: FastifyRequest, actor: Actor, now: Date = new Date()): CommandContext {
  const sent = CORRELATION_HEADERS.map((h) => request.headers[h]).find((v): v is string => typeof v === 'string' && SAFE_ID.test(v));
  return { actor, correlationId: sent ?? uuidv7(now.getTime()), causationId: null, traceparent: currentTraceparent(), now };
}
