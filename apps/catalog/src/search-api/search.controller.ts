import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Public } from '@toolport/auth';
import { ToolportError } from '@toolport/contracts';
import { CatalogSearch } from './catalog-search';
import { lastValue as one, parseSearchQuery } from './search-query';

/** Toolport's own search API: servers, tools, and npm-style version resolution. */
@ApiTags('search')
@Public()
@Controller('api/v1')
export class SearchController {
  constructor(@Inject(CatalogSearch) private readonly search: CatalogSearch) {}

  @Get('search')
  @ApiOperation({ summary: 'Full-text server search: typo tolerant, filters (registryType, transport, minTrust, health, approved, namespace), facets, highlights, cursor' })
  servers(@Query() query: Record<string, unknown>, @CurrentPrincipal() principal: Principal | null) {
    return this.search.searchServers(parseSearchQuery(query), principal);
  }

  @Get('tools/search')
  @ApiOperation({ summary: 'Search tools across servers ("a git server that can diff branches"), with their server and version' })
  tools(@Query() query: Record<string, unknown>, @CurrentPrincipal() principal: Principal | null) {
    return this.search.searchTools(parseSearchQuery(query), principal);
  }

  @Get('servers/:serverName/resolve')
  @ApiOperation({ summary: 'Highest visible, non-deleted version satisfying an npm range (?range=^1.2.0&from=1.1.0)' })
  resolve(@Param('serverName') serverName: string, @Query() query: Record<string, unknown>, @CurrentPrincipal() principal: Principal | null) {
    const range = one(query['range']);
    if (!range) throw new ToolportError('invalid', 'RANGE_REQUIRED', 'range is required, e.g. ?range=^1.2.0', [{ message: 'required', location: 'query.range' }]);
    if (range.length > 256) throw new ToolportError('invalid', 'INVALID_RANGE', 'range is too long', [{ message: 'at most 256 characters', location: 'query.range' }]);
    return this.search.resolve(serverName, range, one(query['from']), principal);
  }
}
