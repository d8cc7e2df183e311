import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '@toolport/auth';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ChangeFeed } from './change-feed';
import { resumePoint } from './resume-point';

/**
 * `GET /api/v1/changes`: what the catalog applies (published, status, latest, scan, approval,
 * health, drift), as Server-Sent Events, resumable with Last-Event-ID, so consumers stop
 * polling `updated_since`. Public and the same for every caller: a change is metadata only
 * (kind, server name, version, time), no server content; a subscriber fetches the content
 * through the read APIs, which apply the caller's visibility.
 */
@ApiTags('changes')
@Public()
@Controller('api/v1/changes')
export class ChangesFeedController {
  constructor(@Inject(ChangeFeed) private readonly feed: ChangeFeed) {}

  @Get()
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary: 'Catalog changes as Server-Sent Events (id, event kind, data {id, kind, serverName, version, at}); resume with Last-Event-ID or ?after=<id>',
  })
  subscribe(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, unknown>): void {
    // Validated before hijacking, so a bad id is still a 400 problem+json.
    const afterId = resumePoint(request.headers['last-event-id'], query['after']);
    reply.hijack();
    // The stream outlives this handler; the feed ends it on disconnect or shutdown.
    void this.feed.serve(reply.raw, afterId, reply.getHeaders());
  }
}
