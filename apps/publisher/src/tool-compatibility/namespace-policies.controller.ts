import { Body, Controller, Get, HttpCode, Inject, Put, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, RequireRoles } from '@toolport/auth';
import { EVENT_STORE, type EventStore, handle } from '@toolport/event-store';
import { commandContextFromRequest } from '@toolport/platform';
import type { FastifyRequest } from 'fastify';
import { DEFAULT_SEMVER_POLICY, type NamespacePolicy, type SemverPolicy } from './compatibility';
import { NAMESPACE_POLICIES_STREAM } from './namespace-policies';
import { namespacePoliciesDecider } from './namespace-policies.decide';
import { NamespacePolicyReader } from './namespace-policy-reader';
import { parseSetNamespacePolicyRequest } from './namespace-policy.request';

export interface NamespacePoliciesResponse {
  /** Every policy an admin set, sorted by namespace pattern. */
  policies: NamespacePolicy[];
  /** What applies to a server no pattern matches. */
  defaultPolicy: SemverPolicy;
}

/** How breaking tool changes are treated per namespace (semver `enforce`, `warn` or `off`). */
@ApiTags('namespaces')
@ApiBearerAuth()
@Controller('api/v1/namespaces')
export class NamespacePoliciesController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(NamespacePolicyReader) private readonly reader: NamespacePolicyReader,
  ) {}

  @Put('policy')
  @HttpCode(200)
  @RequireRoles('admin')
  @ApiOperation({ summary: "Set a namespace pattern's semver policy for tool changes (admin)" })
  async set(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<NamespacePoliciesResponse> {
    const command = parseSetNamespacePolicyRequest(body);
    // Two admins setting different patterns at once race on the one stream; deciding again on
    // the reloaded state is safe because decide is pure.
    const { state } = await handle(this.store, NAMESPACE_POLICIES_STREAM, namespacePoliciesDecider, command, commandContextFromRequest(request, principal.actor), {
      retryOnConflict: 3,
    });
    return { policies: state.policies, defaultPolicy: DEFAULT_SEMVER_POLICY };
  }

  @Get('policies')
  @RequireRoles('admin', 'publisher', 'reviewer')
  @ApiOperation({ summary: 'List the namespace semver policies' })
  async list(): Promise<NamespacePoliciesResponse> {
    return { policies: await this.reader.policies(), defaultPolicy: DEFAULT_SEMVER_POLICY };
  }
}
