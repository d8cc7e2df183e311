import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Public } from '@toolport/auth';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CatalogChangeRecord } from '../read-model/catalog-change';
import { CATALOG_VISIBILITY, visibilityFor } from '../visibility/visibility';
import type { VisibilityOptions } from '../visibility/visibility.config';
import { ChangeFeed } from './change-feed';
import { resumePoint } from './resume-point';

/**
 * `GET /api/v1/changes`: what the catalog applies (published, status, latest, scan, approval,
 * health, drift), as Server-Sent Events, resumable with Last-Event-ID, so consumers stop
 * polling `updated_since`. A change is metadata only (kind, server name, version, time); a
 * subscriber fetches the content through the read APIs. It still names a server and a version,
 * so the catalog's visibility applies: a caller who sees only approved versions is sent only
 * changes about versions approved at some point (a revocation included, so an agent learns to
 * drop the version); reviewers and admins, or every caller under TOOLPORT_CATALOG_VISIBILITY=all,
 * get every change.
 */
@ApiTags('changes')
@Public()
@Controller('api/v1/changes')
export class ChangesFeedController {
  constructor(
    @Inject(ChangeFeed) private readonly feed: ChangeFeed,
    @Inject(CATALOG_VISIBILITY) private readonly visibility: VisibilityOptions,
  ) {}

  @Get()
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary: 'Catalog changes as Server-Sent Events (id, event kind, data {id, kind, serverName, version, at}); resume with Last-Event-ID or ?after=<id>',
  })
  subscribe(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, unknown>, @CurrentPrincipal() principal: Principal | null): void {
    // Validated before hijacking, so a bad id is still a 400 problem+json.
    const afterId = resumePoint(request.headers['last-event-id'], query['after']);
    const { approvedOnly } = visibilityFor(principal, this.visibility.mode, { includeDeleted: true });
    reply.hijack();
    // The stream outlives this handler; the feed ends it on disconnect or shutdown.
    void this.feed.serve(reply.raw, afterId, reply.getHeaders(), approvedOnly ? approvedOnce : undefined);
  }
}

const approvedOnce = (change: CatalogChangeRecord): boolean => change.approvedOnce;
