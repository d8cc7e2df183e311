import type { FastifyInstance, FastifyRequest } from 'fastify';

/*
 * `/validate` answers 200 with a report for any body, a malformed one included (BEHAVIOUR.md §1).
 * Fastify parses the body before Nest sees the request, so a body that is not JSON would end as
 * Fastify's 400 (and another media type as 415) before the controller could turn it into a
 * `json` issue. Fastify has no per-route content-type parser and Nest registers every route in
 * the root context, so the scope is made by hand: an onRequest hook gives requests to the
 * validate routes a private media type, and the only parser for that type hands over the body
 * as text. Every other route keeps Nest's JSON parser, errors and all; the original
 * Content-Type stays on the raw request (logs, traces), only the parser lookup sees the override.
 * The body limit still applies: a body over it stays a 413, a transport limit, not a document fault.
 */

/** The body of a validate request, as received. */
export class RawValidateBody {
  constructor(readonly text: string) {}
}

/** A media type no client sends, so its parser can only ever see validate requests. */
export const RAW_VALIDATE_MEDIA_TYPE = 'application/x.toolport-validate-body';

/** `routes` are Fastify route URLs (`/v0/validate`), matched exactly, for POST only. */
export function installRawValidateBody(fastify: FastifyInstance, routes: readonly string[]): void {
  // routeOptions.url is the matched route's pattern: no query string or encoding to normalise.
  const isValidate = (request: FastifyRequest): boolean => request.method === 'POST' && routes.includes(request.routeOptions.url ?? '');
  fastify.addContentTypeParser(RAW_VALIDATE_MEDIA_TYPE, { parseAs: 'string' }, (request, body, done) => {
    // A client naming this type on another route gets what any unknown type gets there.
    if (!isValidate(request)) return done(unsupportedMediaType(), undefined);
    done(null, new RawValidateBody(body as string));
  });
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (isValidate(request)) {
      // Fastify's headers setter adds to the raw headers instead of replacing them.
      request.headers = { 'content-type': RAW_VALIDATE_MEDIA_TYPE };
    }
    done();
  });
}

/** Fastify's own 415 (FST_ERR_CTP_INVALID_MEDIA_TYPE), which the problem+json filter renders by its code. */
function unsupportedMediaType(): Error {
  return Object.assign(new Error('Unsupported Media Type'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
}
