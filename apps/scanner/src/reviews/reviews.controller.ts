import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, RequireRoles } from '@toolport/auth';
import { ToolportError } from '@toolport/contracts';
import { commandContextFromRequest } from '@toolport/platform';
import type { FastifyRequest } from 'fastify';
import { ScanCommands } from '../scans/scan-commands';
import { ScanVersions } from '../scans/scan-versions';
import { notFound } from '../scans/scans.controller';
import { REVIEW_DECISIONS, type ReviewDecision } from './review';
import type { ReviewCommand } from './review.decide';
import { ReviewCommands } from './review-commands';
import { parseJustification, reviewerConflicts } from './review-access';
import { decodeCursor, ReviewQueue } from './review-queue.query';

const SERVER_PARAM = { name: 'serverName', description: 'Server name, URL-encoded (`com.acme%2Fweather`)' };
const VERSION_PARAM = { name: 'version', description: 'Exact version' };
const JUSTIFICATION_BODY = {
  schema: { type: 'object', required: ['justification'], properties: { justification: { type: 'string', minLength: 1, maxLength: 2000 } }, additionalProperties: false },
};
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

function invalid(location: string, message: string): ToolportError {
  return new ToolportError('invalid', 'INVALID_REQUEST', `${location}: ${message}`, [{ message, location }]);
}

@ApiTags('reviews')
@ApiBearerAuth()
@RequireRoles('reviewer')
@Controller('api/v1/reviews')
export class ReviewsController {
  constructor(
    @Inject(ReviewQueue) private readonly queue: ReviewQueue,
    @Inject(ReviewCommands) private readonly reviews: ReviewCommands,
    @Inject(ScanCommands) private readonly scans: ScanCommands,
    @Inject(ScanVersions) private readonly versions: ScanVersions,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The review queue (reviewer, admin): findings, trust level, score, compatibility report and tool diff against the last approved version' })
  @ApiQuery({ name: 'state', required: false, enum: REVIEW_DECISIONS, description: 'Default pending (revoked approvals are pending again)' })
  @ApiQuery({ name: 'limit', required: false, description: `1-${MAX_LIMIT}, default ${DEFAULT_LIMIT}` })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  async list(@Query() query: Record<string, unknown>) {
    const state = query.state ?? 'pending';
    if (typeof state !== 'string' || !REVIEW_DECISIONS.includes(state as ReviewDecision)) throw invalid('query.state', `must be one of ${REVIEW_DECISIONS.join(', ')}`);
    const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw invalid('query.limit', `must be an integer from 1 to ${MAX_LIMIT}`);
    let after: [string, string] | null = null;
    if (query.cursor !== undefined) {
      after = typeof query.cursor === 'string' ? decodeCursor(query.cursor) : null;
      if (after === null) throw invalid('query.cursor', 'is not a cursor this API returned');
    }
    return this.queue.list(state as ReviewDecision, limit, after);
  }

  @Post(':serverName/:version/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Approve a version (reviewer, admin): needs a completed scan that is not rejected, and a reviewer who may not publish to its namespace and did not publish it' })
  @ApiParam(SERVER_PARAM)
  @ApiParam(VERSION_PARAM)
  @ApiBody(JUSTIFICATION_BODY)
  @ApiResponse({ status: 409, description: 'No completed scan, trust level rejected, separation of duties, or already approved (problem+json)' })
  async approve(@Param('serverName') serverName: string, @Param('version') version: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const justification = parseJustification(body);
    const known = await this.knownVersion(serverName, version);
    if (known.status === 'deleted') throw new ToolportError('conflict', 'VERSION_DELETED', `${serverName}@${version} is deleted and cannot be approved`);
    const scan = (await this.scans.load({ serverName, version })).lastCompleted;
    const context = commandContextFromRequest(request, principal.actor);
    return this.run(
      {
        type: 'ApproveVersion',
        serverName,
        version,
        justification,
        now: context.now,
        scan: scan && { trustLevel: scan.trustLevel, tools: scan.tools, toolListHash: scan.toolListHash },
        automatic: false,
        reviewer: reviewerConflicts(principal, serverName, known.publishedBy),
      },
      context,
    );
  }

  @Post(':serverName/:version/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject a version (reviewer, admin)' })
  @ApiParam(SERVER_PARAM)
  @ApiParam(VERSION_PARAM)
  @ApiBody(JUSTIFICATION_BODY)
  async reject(@Param('serverName') serverName: string, @Param('version') version: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const justification = parseJustification(body);
    await this.knownVersion(serverName, version);
    const context = commandContextFromRequest(request, principal.actor);
    return this.run({ type: 'RejectVersion', serverName, version, justification, now: context.now }, context);
  }

  @Post(':serverName/:version/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke the approval of a version (reviewer, admin); it is pending review again' })
  @ApiParam(SERVER_PARAM)
  @ApiParam(VERSION_PARAM)
  @ApiBody(JUSTIFICATION_BODY)
  async revoke(@Param('serverName') serverName: string, @Param('version') version: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const justification = parseJustification(body);
    await this.knownVersion(serverName, version);
    const context = commandContextFromRequest(request, principal.actor);
    return this.run({ type: 'RevokeApproval', serverName, version, justification, now: context.now }, context);
  }

  private async knownVersion(serverName: string, version: string) {
    const known = await this.versions.get(serverName, version);
    if (known === null) throw notFound(serverName, version);
    return known;
  }

  private async run(command: ReviewCommand, context: Parameters<ReviewCommands['execute']>[1]) {
    const { state, events } = await this.reviews.execute(command, context);
    return { serverName: command.serverName, version: command.version, decision: state.decision, event: events[0] ? { type: events[0].type, data: events[0].data, eventId: events[0].metadata.eventId } : null, history: state.history };
  }
}
