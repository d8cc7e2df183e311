import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, RequireAuth } from '@toolport/auth';
import { commandContextFromRequest } from '@toolport/platform';
import type { FastifyRequest } from 'fastify';
import { packageVerificationError } from '../package-verification/package-verification';
import { PackageVerifier } from '../package-verification/package-verifier';
import { SERVER_JSON_RULES, type ServerJsonRuleOptions } from '../server-json-validation/remote-url-policy';
import { assertPublishable, keptMeta, toolsOf } from '../server-json-validation/validate-server-json';
import { NamespacePolicyReader } from '../tool-compatibility/namespace-policy-reader';
import { policyFor } from '../tool-compatibility/compatibility';
import { findVersion } from './server';
import { assertMayWrite } from './server-access';
import { ServerCommands } from './server-commands';
import { toServerResponse } from './server-response';

/**
 * `POST /v0/publish` as the official registry answers it (so `mcp-publisher` works unchanged):
 * permission on the name, full validation, package ownership, tool compatibility, then one
 * append. Anything refused stores nothing.
 */
@ApiTags('publish')
@ApiBearerAuth()
@Controller()
export class PublishController {
  constructor(
    @Inject(ServerCommands) private readonly servers: ServerCommands,
    @Inject(PackageVerifier) private readonly packages: PackageVerifier,
    @Inject(NamespacePolicyReader) private readonly policies: NamespacePolicyReader,
    @Inject(SERVER_JSON_RULES) private readonly rules: ServerJsonRuleOptions,
  ) {}

  @Post(['v0/publish', 'v0.1/publish'])
  @HttpCode(200)
  @RequireAuth()
  @ApiOperation({ summary: 'Publish a server version (server.json body); versions are immutable' })
  async publish(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest) {
    // Permission first when the body names a server: a caller learns nothing about a namespace it may not use.
    const claimedName = typeof body === 'object' && body !== null ? (body as { name?: unknown }).name : undefined;
    if (typeof claimedName === 'string') assertMayWrite(principal, claimedName, ['publish']);
    const server = assertPublishable(body, this.rules);
    assertMayWrite(principal, server.name, ['publish']);

    // Ownership failures are 400 as upstream; a registry that could not be reached is 503 (try again).
    const ownership = packageVerificationError(await this.packages.verify(server));
    if (ownership) throw ownership;

    const context = commandContextFromRequest(request, principal.actor);
    const kept = keptMeta(server) as unknown as Record<string, unknown> & { name: string; version: string };
    const { state } = await this.servers.execute(
      server.name,
      {
        type: 'PublishVersion',
        server: kept,
        schemaId: server.$schema ?? '',
        tools: toolsOf(server),
        semverPolicy: policyFor(await this.policies.policies(), server.name),
        ownershipVerified: this.packages.provesOwnership(server),
        now: context.now,
      },
      context,
    );
    return toServerResponse(state, findVersion(state, server.version)!);
  }
}
