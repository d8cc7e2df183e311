import { Body, Controller, HttpCode, Inject, Param, Patch, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, RequireAuth } from '@toolport/auth';
import { ToolportError } from '@toolport/contracts';
import { commandContextFromRequest } from '@toolport/platform';
import type { FastifyRequest } from 'fastify';
import { findVersion, type VersionStatus } from './server';
import { assertMayWrite } from './server-access';
import { ServerCommands } from './server-commands';
import { toServerResponse } from './server-response';

const STATUSES: readonly VersionStatus[] = ['active', 'deprecated', 'deleted'];

export function parseStatusBody(body: unknown): { status: VersionStatus; statusMessage: string | null } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ToolportError('unprocessable', 'VALIDATION_FAILED', 'validation failed: the body must be a JSON object {status, statusMessage?}');
  }
  const { status, statusMessage, ...rest } = body as Record<string, unknown>;
  const errors = [];
  if (typeof status !== 'string' || !STATUSES.includes(status as VersionStatus)) {
    errors.push({ message: `status must be one of ${STATUSES.join(', ')}`, location: 'body.status', value: status });
  }
  if (statusMessage !== undefined && statusMessage !== null && typeof statusMessage !== 'string') {
    errors.push({ message: 'statusMessage must be a string', location: 'body.statusMessage' });
  }
  for (const key of Object.keys(rest)) errors.push({ message: 'unexpected property', location: `body.${key}` });
  if (errors.length > 0) throw new ToolportError('unprocessable', 'VALIDATION_FAILED', 'validation failed', errors);
  return { status: status as VersionStatus, statusMessage: typeof statusMessage === 'string' ? statusMessage : null };
}

/** The official status changes: one version, or every version of a server in one transaction. */
@ApiTags('publish')
@ApiBearerAuth()
@Controller()
export class StatusController {
  constructor(@Inject(ServerCommands) private readonly servers: ServerCommands) {}

  @Patch(['v0/servers/:serverName/versions/:version/status', 'v0.1/servers/:serverName/versions/:version/status'])
  @HttpCode(200)
  @RequireAuth()
  @ApiOperation({ summary: 'Set the status (active, deprecated, deleted) of one version' })
  async versionStatus(
    @Param('serverName') serverName: string,
    @Param('version') version: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ) {
    assertMayWrite(principal, serverName, ['publish', 'edit']);
    const { status, statusMessage } = parseStatusBody(body);
    const context = commandContextFromRequest(request, principal.actor);
    const { state } = await this.servers.execute(serverName, { type: 'ChangeVersionStatus', serverName, version, status, statusMessage, now: context.now }, context);
    return toServerResponse(state, findVersion(state, version)!);
  }

  @Patch(['v0/servers/:serverName/status', 'v0.1/servers/:serverName/status'])
  @HttpCode(200)
  @RequireAuth()
  @ApiOperation({ summary: 'Set the status of every version of a server at once' })
  async serverStatus(@Param('serverName') serverName: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    assertMayWrite(principal, serverName, ['publish', 'edit']);
    const { status, statusMessage } = parseStatusBody(body);
    const context = commandContextFromRequest(request, principal.actor);
    const { state, events } = await this.servers.execute(serverName, { type: 'ChangeServerStatus', serverName, status, statusMessage, now: context.now }, context);
    const changed = events.flatMap((e) => (e.type === 'VersionStatusChanged' ? [findVersion(state, e.data.version)!] : []));
    return { updatedCount: changed.length, servers: changed.map((v) => toServerResponse(state, v)) };
  }
}
