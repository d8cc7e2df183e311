import { Controller, Get, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, RequireRoles } from '@toolport/auth';
import { ToolportError } from '@toolport/contracts';
import { commandContextFromRequest } from '@toolport/platform';
import type { FastifyRequest } from 'fastify';
import { SCAN_ENGINE } from '../scan-engine/scan-engine.token';
import type { ScanEngine } from '../scan-engine/scan-engine';
import { openRequest } from './scan';
import { ScanCommands } from './scan-commands';
import { ScanScheduler } from './scan-job';
import { scanView, type ScanView } from './scan-view';
import { ScanVersions } from './scan-versions';

const SERVER_PARAM = { name: 'serverName', description: 'Server name, URL-encoded (`com.acme%2Fweather`)' };
const VERSION_PARAM = { name: 'version', description: 'Exact version' };

/**
 * Findings are for reviewers and auditors, not for every reader: they describe weaknesses of
 * versions that may not be approved yet (a reader sees trust level and score in the catalog).
 */
@ApiTags('scans')
@ApiBearerAuth()
@Controller('api/v1/scans')
export class ScansController {
  constructor(
    @Inject(ScanVersions) private readonly versions: ScanVersions,
    @Inject(ScanCommands) private readonly commands: ScanCommands,
    @Inject(ScanScheduler) private readonly scheduler: ScanScheduler,
    @Inject(SCAN_ENGINE) private readonly engine: ScanEngine,
  ) {}

  @Get(':serverName/:version')
  @RequireRoles('reviewer', 'auditor')
  @ApiOperation({ summary: 'The latest scan of a version: status, findings, score, trust level, rules version and every request (reviewer, auditor, admin)' })
  @ApiParam(SERVER_PARAM)
  @ApiParam(VERSION_PARAM)
  @ApiResponse({ status: 404, description: 'The scanner knows no such version (problem+json)' })
  async get(@Param('serverName') serverName: string, @Param('version') version: string): Promise<ScanView & { serverName: string; version: string; currentRulesVersion: string }> {
    const known = await this.versions.get(serverName, version);
    const state = await this.commands.load({ serverName, version });
    if (known === null && state.requests.length === 0) throw notFound(serverName, version);
    return { serverName, version, ...scanView(state), currentRulesVersion: this.engine.rulesVersion };
  }

  @Post(':serverName/:version/rescan')
  @HttpCode(202)
  @RequireRoles('reviewer')
  @ApiOperation({ summary: 'Scan a version again now (reviewer, admin); a request still open answers instead of a new one' })
  @ApiParam(SERVER_PARAM)
  @ApiParam(VERSION_PARAM)
  @ApiResponse({ status: 202, description: 'The request (new, or the open one it joined) and its job id' })
  @ApiResponse({ status: 409, description: 'The version is deleted (problem+json)' })
  async rescan(@Param('serverName') serverName: string, @Param('version') version: string, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    const known = await this.versions.get(serverName, version);
    if (known === null) throw notFound(serverName, version);
    if (known.status === 'deleted') throw new ToolportError('conflict', 'VERSION_DELETED', `${serverName}@${version} is deleted: deleted versions are not scanned`);
    const context = commandContextFromRequest(request, principal.actor);
    const { state, events } = await this.commands.execute(
      { type: 'RequestScan', serverName, version, reason: 'rescan', rulesVersion: this.engine.rulesVersion, now: context.now },
      context,
    );
    const open = openRequest(state)!;
    // Enqueued here too (the ScanRequested consumer does it as well): the reviewer waits on it.
    const { jobId } = await this.scheduler.enqueue({ serverName, version, requestNumber: open.number, rulesVersion: open.rulesVersion });
    return { serverName, version, requestNumber: open.number, reason: open.reason, rulesVersion: open.rulesVersion, requestedAt: open.requestedAt, jobId, joinedOpenRequest: events.length === 0 };
  }
}

export function notFound(serverName: string, version: string): ToolportError {
  return new ToolportError('not_found', 'VERSION_NOT_FOUND', `the scanner knows no version ${version} of ${serverName}`);
}
