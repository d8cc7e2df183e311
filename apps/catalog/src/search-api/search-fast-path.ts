import type { FastifyInstance } from 'fastify';
import type { CatalogSearch } from './catalog-search';
import { parseSearchQuery } from './search-query';

/** The routes SearchController.servers and .tools serve. */
const SERVER_SEARCH = '/api/v1/search';
const TOOL_SEARCH = '/api/v1/tools/search';

/**
 * Anonymous `GET /api/v1/search` and `/api/v1/tools/search` answered in a Fastify onRequest
 * hook, before Nest's router, guard and pipes (about as much CPU per request as a search of
 * 10,000 servers itself, by the profile). Same parser, same CatalogSearch, same visibility (a
 * caller without a token), so the same answer as the controller; a caller with a token (whose
 * principal the auth guard must establish) and a query the parser refuses (its problem+json
 * answer is the controller's) go on to SearchController. Tracing and CORS hooks have run by then.
 */
export function installSearchFastPath(fastify: FastifyInstance, search: CatalogSearch): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    const route = request.routeOptions.url;
    if (request.method !== 'GET' || (route !== SERVER_SEARCH && route !== TOOL_SEARCH) || request.headers.authorization !== undefined) {
      done();
      return;
    }
    let query: ReturnType<typeof parseSearchQuery>;
    try {
      query = parseSearchQuery(request.query as Record<string, unknown>);
    } catch {
      done();
      return;
    }
    const answer = route === SERVER_SEARCH ? search.searchServersJson(query, null) : search.searchToolsJson(query, null);
    answer.then(
      (body) => void reply.header('content-type', 'application/json; charset=utf-8').send(body),
      // Not expected (the parser checked the input): the controller's path reports it as problem+json.
      () => done(),
    );
  });
}
