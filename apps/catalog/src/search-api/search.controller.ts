import { applyDecorators, Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Public } from '@toolport/auth';
import { HEALTH_STATUSES, ToolportError, TRUST_LEVELS } from '@toolport/contracts';
import { CatalogSearch } from './catalog-search';
import { ALL_FACETS, DEFAULT_SEARCH_LIMIT, lastValue as one, MAX_QUERY_LENGTH, MAX_SEARCH_LIMIT, parseSearchQuery, SEARCH_FACETS } from './search-query';

/** The query parameters parseSearchQuery reads, for /docs (unknown ones are ignored). */
const SearchParameters = (facets: boolean) =>
  applyDecorators(
    ApiQuery({ name: 'q', required: false, description: `Free text, typo tolerant, at most ${MAX_QUERY_LENGTH} characters; empty lists everything` }),
    ApiQuery({ name: 'limit', required: false, description: `1-${MAX_SEARCH_LIMIT}, default ${DEFAULT_SEARCH_LIMIT}` }),
    ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page (same q and filters)' }),
    ApiQuery({ name: 'registryType', required: false, description: 'npm, pypi, oci, nuget, mcpb, …' }),
    ApiQuery({ name: 'transport', required: false, description: 'stdio, streamable-http, sse' }),
    ApiQuery({ name: 'minTrust', required: false, enum: TRUST_LEVELS, description: 'this trust level or a higher one' }),
    ApiQuery({ name: 'health', required: false, enum: HEALTH_STATUSES }),
    ApiQuery({ name: 'approved', required: false, enum: ['true', 'false'], description: 'false only for callers who may see unapproved versions' }),
    ApiQuery({ name: 'namespace', required: false, description: 'e.g. io.github.acme' }),
    ApiQuery({ name: 'version', required: false, enum: ['latest'], description: 'only the latest version of each server' }),
    ...(facets ? [ApiQuery({ name: 'facets', required: false, description: `facet counts over every match, only when asked: ${ALL_FACETS}, or a comma list of ${SEARCH_FACETS.join(', ')}` })] : []),
  );

/** Toolport's own search API: servers, tools, and npm-style version resolution. */
@ApiTags('search')
@Public()
@Controller('api/v1')
export class SearchController {
  constructor(@Inject(CatalogSearch) private readonly search: CatalogSearch) {}

  @Get('search')
  @ApiOperation({ summary: 'Full-text server search: typo tolerant, filters (registryType, transport, minTrust, health, approved, namespace), highlights, cursor; facet counts on request (facets=all, or a list of registryType, transport, trustLevel, health, namespace, approved)' })
  @SearchParameters(true)
  servers(@Query() query: Record<string, unknown>, @CurrentPrincipal() principal: Principal | null) {
    return this.search.searchServers(parseSearchQuery(query), principal);
  }

  @Get('tools/search')
  @ApiOperation({ summary: 'Search tools across servers ("a git server that can diff branches"), with their server and version' })
  @SearchParameters(false)
  tools(@Query() query: Record<string, unknown>, @CurrentPrincipal() principal: Principal | null) {
    return this.search.searchTools(parseSearchQuery(query), principal);
  }

  @Get('servers/:serverName/resolve')
  @ApiOperation({ summary: 'Highest approved, non-deleted version satisfying an npm range (?range=^1.2.0&from=1.1.0), for every caller; 404 problem+json says why nothing matched' })
  @ApiQuery({ name: 'range', required: true, description: 'npm-style range: ^1.2.0, ~1.2, 1.2.3, >=1 <2, *' })
  @ApiQuery({ name: 'from', required: false, description: 'the version the caller runs: the answer carries the compatibility notes between the two' })
  resolve(@Param('serverName') serverName: string, @Query() query: Record<string, unknown>, @CurrentPrincipal() principal: Principal | null) {
    const range = one(query['range']);
    if (!range) throw new ToolportError('invalid', 'RANGE_REQUIRED', 'range is required, e.g. ?range=^1.2.0', [{ message: 'required', location: 'query.range' }]);
    if (range.length > 256) throw new ToolportError('invalid', 'INVALID_RANGE', 'range is too long', [{ message: 'at most 256 characters', location: 'query.range' }]);
    return this.search.resolve(serverName, range, one(query['from']), principal);
  }
}
