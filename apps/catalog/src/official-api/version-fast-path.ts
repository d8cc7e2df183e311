import type { FastifyInstance } from 'fastify';
import { type CatalogVisibilityMode, type Visibility, visibilityFor } from '../visibility/visibility';
import { parseIncludeDeleted } from './list-query';
import type { VersionResponseCache } from './version-response-cache';

export const JSON_TYPE = 'application/json; charset=utf-8';

/** The routes ServersController.version serves (same handler under /v0 and /v0.1). */
const VERSION_ROUTES = new Set(['/v0/servers/:serverName/versions/:version', '/v0.1/servers/:serverName/versions/:version']);

/** The cache key of one answer: the version asked for and what the caller's visibility changes in it. */
export function versionAnswerKey(version: string, visibility: Visibility, includeDeleted: boolean): string {
  return `${version}\u0000${visibility.approvedOnly ? 1 : 0}${includeDeleted ? 1 : 0}${visibility.privileged ? 1 : 0}`;
}

/**
 * Anonymous `GET …/versions/{version}` answered from the VersionResponseCache in a Fastify
 * onRequest hook, before Nest's router, guards and pipes: with the database out of the way they
 * were most of what a request cost. Only a cached "found" answer is sent here; everything else
 * (a miss, a 404, a bad parameter, a caller with a token, whose principal the auth guard must
 * establish) goes on to ServersController.version, which fills the cache, so both paths give the
 * same answer. The hooks registered before this one (tracing, CORS) have run by then.
 */
export function installVersionFastPath(fastify: FastifyInstance, cache: VersionResponseCache, mode: CatalogVisibilityMode): void {
  if (!cache.enabled) return;
  const anonymous = visibilityFor(null, mode, { includeDeleted: false });
  const anonymousWithDeleted = visibilityFor(null, mode, { includeDeleted: true });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'GET' || !VERSION_ROUTES.has(request.routeOptions.url ?? '') || request.headers.authorization !== undefined) {
      done();
      return;
    }
    const { serverName, version } = request.params as { serverName: string; version: string };
    let includeDeleted: boolean;
    try {
      includeDeleted = parseIncludeDeleted(request.query as Record<string, unknown>);
    } catch {
      done();
      return;
    }
    const answer = cache.get(serverName, versionAnswerKey(version, includeDeleted ? anonymousWithDeleted : anonymous, includeDeleted));
    if (answer === undefined || !answer.found) {
      done();
      return;
    }
    void reply.header('content-type', JSON_TYPE).send(answer.body);
  });
}
