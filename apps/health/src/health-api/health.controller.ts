import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, hasAnyRole, type Principal, Public, RequireRoles } from '@toolport/auth';
import { ToolportError } from '@toolport/contracts';
import { apiStatus, statusCounts, worstEndpoint } from './health-summary';
import { HealthRepository } from './health.repository';

const PROBES_SHOWN = 50;
const WORST_SHOWN = 20;
const STATUS_ENUM = ['healthy', 'degraded', 'down', 'blocked', 'unknown'];

const DriftToolSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    change: { type: 'string', enum: ['added', 'removed', 'changed'] },
    fields: { type: 'array', items: { type: 'string' } },
    before: { type: 'string', nullable: true },
    after: { type: 'string', nullable: true },
  },
};

/**
 * `GET /status`: the fleet summary. Public, like a status page, but the names of the worst
 * endpoints go only to callers holding ops, reviewer or admin: which internal servers are down
 * (or were refused as private addresses) is information about the company's network.
 */
@ApiTags('health')
@Controller()
export class FleetStatusController {
  constructor(@Inject(HealthRepository) private readonly repository: HealthRepository) {}

  @Get('status')
  @Public()
  @ApiOperation({ summary: 'Fleet health: endpoints per status; with an ops, reviewer or admin token also the worst endpoints by name' })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: {
        status: { type: 'string', enum: STATUS_ENUM, description: 'The worst status over every endpoint' },
        endpoints: { type: 'integer' },
        counts: { type: 'object', additionalProperties: { type: 'integer' } },
        worstOffenders: { type: 'array', items: { type: 'object' }, description: 'Only for ops, reviewer and admin' },
      },
    },
  })
  async status(@CurrentPrincipal() principal: Principal | null): Promise<Record<string, unknown>> {
    const fleet = await this.repository.fleet(WORST_SHOWN);
    const counts = statusCounts(fleet.statuses);
    const worst = worstEndpoint(fleet.statuses.map((status) => ({ status })));
    const mayName = principal !== null && hasAnyRole(principal, ['ops', 'reviewer']);
    return {
      status: worst ? apiStatus(worst.status) : 'unknown',
      endpoints: fleet.statuses.length,
      counts,
      ...(mayName ? { worstOffenders: fleet.worst.map((w) => ({ ...w, status: apiStatus(w.status), detail: w.status })) } : {}),
    };
  }
}

/** One server's health (ops, reviewer and admin). */
@ApiTags('health')
@ApiBearerAuth()
@RequireRoles('ops', 'reviewer')
@Controller('api/v1/health/servers')
export class ServerHealthController {
  constructor(@Inject(HealthRepository) private readonly repository: HealthRepository) {}

  @Get(':serverName')
  @ApiOperation({ summary: "A server's health: status, drift, last probes, uptime and latency (of its latest version, or ?version=)" })
  // Server names contain a slash: send it encoded (io.github.x%2Fy), as the official API's /v0/servers/{serverName}.
  @ApiParam({ name: 'serverName', description: 'The server name, URL-encoded (`/` as %2F)' })
  @ApiQuery({ name: 'version', required: false })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: {
        serverName: { type: 'string' },
        versions: { type: 'array', items: { type: 'string' } },
        status: { type: 'string', enum: STATUS_ENUM },
        reason: { type: 'string' },
        drift: { type: 'object', properties: { detected: { type: 'boolean' }, tools: { type: 'array', items: DriftToolSchema } } },
        probes: { type: 'array', items: { type: 'object' } },
        uptime24h: { type: 'number', nullable: true },
        uptime7d: { type: 'number', nullable: true },
        latencyP50Ms: { type: 'number', nullable: true },
        latencyP95Ms: { type: 'number', nullable: true },
        remotes: { type: 'array', items: { type: 'object' } },
      },
    },
  })
  async server(@Param('serverName') serverName: string, @Query() query: Record<string, unknown>): Promise<Record<string, unknown>> {
    const raw = query['version'];
    const version = typeof raw === 'string' && raw !== '' ? raw : null;
    const data = await this.repository.server(serverName, version, PROBES_SHOWN, new Date());
    if (!data) {
      throw new ToolportError('not_found', 'SERVER_NOT_FOUND', version ? `no version ${version} of ${serverName} is known to the health service` : `no server ${serverName} is known to the health service`);
    }
    const worst = worstEndpoint(data.endpoints);
    const drifted = data.endpoints.filter((e) => e.drift?.detected);
    return {
      serverName,
      versions: data.versions,
      status: worst ? apiStatus(worst.status) : 'unknown',
      reason: worst ? (worst.status === 'unprobeable' ? `not probeable: ${worst.reason}` : worst.reason) : 'no remote endpoints to probe',
      drift: { detected: drifted.length > 0, tools: drifted.flatMap((e) => e.drift!.tools) },
      probes: data.probes,
      uptime24h: data.uptime24h,
      uptime7d: data.uptime7d,
      latencyP50Ms: data.latencyP50Ms,
      latencyP95Ms: data.latencyP95Ms,
      remotes: data.endpoints.map((e) => ({ version: e.version, url: e.remoteUrl, transport: e.transport, status: apiStatus(e.status), detail: e.status, reason: e.reason, lastProbeAt: e.lastProbeAt, drift: e.drift })),
    };
  }
}
