import { Controller, Get, Header, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Public } from '@toolport/auth';
import { CATALOG_VISIBILITY, visibilityFor } from '../visibility/visibility';
import type { VisibilityOptions } from '../visibility/visibility.config';
import { parseIncludeDeleted, parseListServersQuery } from './list-query';
import { serverListJson, versionAnswer } from './official-response';
import { notFound, ServersRepository } from './servers.repository';
import { JSON_TYPE, versionAnswerKey } from './version-fast-path';
import { VersionResponseCache } from './version-response-cache';


/**
 * The official registry's read API (BEHAVIOUR.md section 1), same handlers under /v0 and /v0.1.
 * Public: a caller without a token sees what the visibility rule allows anonymous callers; a
 * token that is sent is verified by the auth guard and may show more (reviewers, admins).
 * Answers are JSON text built by official-response.ts, so Fastify sends them as they are.
 */
@ApiTags('servers')
@Controller(['v0', 'v0.1'])
export class ServersController {
  constructor(
    @Inject(ServersRepository) private readonly servers: ServersRepository,
    @Inject(CATALOG_VISIBILITY) private readonly visibility: VisibilityOptions,
    @Inject(VersionResponseCache) private readonly cache: VersionResponseCache,
  ) {}

  @Get('servers')
  @Public()
  @Header('content-type', JSON_TYPE)
  @ApiOperation({ summary: 'List server versions (cursor, limit, search, updated_since, version, include_deleted)' })
  async list(@Query() query: Record<string, unknown>, @CurrentPrincipal() principal: Principal | null): Promise<string> {
    const parsed = parseListServersQuery(query);
    const visibility = visibilityFor(principal, this.visibility.mode, { includeDeleted: parsed.includeDeleted });
    const { entries, nextCursor } = await this.servers.list(parsed, visibility);
    return serverListJson(entries, visibility, nextCursor);
  }

  @Get('servers/:serverName/versions')
  @Public()
  @Header('content-type', JSON_TYPE)
  @ApiOperation({ summary: 'All versions of a server, newest first' })
  async versions(@Param('serverName') serverName: string, @Query() query: Record<string, unknown>, @CurrentPrincipal() principal: Principal | null): Promise<string> {
    const visibility = visibilityFor(principal, this.visibility.mode, { includeDeleted: parseIncludeDeleted(query) });
    return serverListJson(await this.servers.versions(serverName, visibility), visibility);
  }

  @Get('servers/:serverName/versions/:version')
  @Public()
  @Header('content-type', JSON_TYPE)
  @ApiOperation({ summary: 'One version of a server; `latest` is the version flagged latest' })
  async version(
    @Param('serverName') serverName: string,
    @Param('version') version: string,
    @Query() query: Record<string, unknown>,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<string> {
    const includeDeleted = parseIncludeDeleted(query);
    const visibility = visibilityFor(principal, this.visibility.mode, { includeDeleted });
    const answer = await this.cache.answer(serverName, versionAnswerKey(version, visibility, includeDeleted), async () => {
      const entry = await this.servers.findVersion(serverName, version, visibility);
      return entry === null ? { found: false } : versionAnswer(entry, visibility);
    });
    if (!answer.found) throw notFound();
    return answer.body;
  }
}
