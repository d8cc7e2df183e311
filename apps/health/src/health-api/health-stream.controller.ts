import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '@toolport/auth';
import { resumePoint, SseFeed } from '@toolport/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HealthStreamRecord } from './health-stream';

/**
 * `GET /api/v1/health/stream`: HealthStatusChanged and ToolDriftDetected as Server-Sent Events
 * (event name = type, id = the event's position), resumable with Last-Event-ID or ?after=.
 * Ops, reviewer and admin, like the per-server API: the events name servers and endpoints.
 */
@ApiTags('health')
@ApiBearerAuth()
@RequireRoles('ops', 'reviewer')
@Controller('api/v1/health/stream')
export class HealthStreamController {
  constructor(@Inject(SseFeed) private readonly feed: SseFeed<HealthStreamRecord>) {}

  @Get()
  @ApiProduces('text/event-stream')
  @ApiOperation({ summary: 'Status changes and tool drift as Server-Sent Events; resume with Last-Event-ID or ?after=<id> (?after=0: everything stored)' })
  subscribe(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @Query() query: Record<string, unknown>): void {
    // Validated before hijacking, so a bad id is still a 400 problem+json.
    const afterId = resumePoint(request.headers['last-event-id'], query['after']);
    reply.hijack();
    // The stream outlives this handler; the feed ends it on disconnect or shutdown.
    void this.feed.serve(reply.raw, afterId, reply.getHeaders());
  }
}
