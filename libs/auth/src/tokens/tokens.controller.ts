import { Body, Controller, Delete, Header, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { type CommandContext, ToolportError, UUID_V7_PATTERN, uuidv7 } from '@toolport/contracts';
import { EVENT_STORE, handle, type EventStore } from '@toolport/event-store';
import { currentTraceparent } from '@toolport/observability';
import { CurrentPrincipal, RequireRoles } from '../auth.decorators';
import { API_TOKEN_AUTH_METHOD, type Principal } from '../principal';
import { TokenService } from '../tokens';
import { apiTokenDecider } from './api-token.decide';
import { parseIssueTokenRequest } from './issue-token.request';
import { TOKENS_OPTIONS, type TokensOptions } from './tokens.options';

export interface IssuedTokenResponse {
  id: string;
  /** Shown once, here: only its id and grants are ever stored. */
  token: string;
  subject: string;
  roles: string[];
  permissions: Array<{ action: string; resource: string }>;
  expiresAt: string;
}

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
}

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TOKEN_ID = new RegExp(UUID_V7_PATTERN);

export const tokenStreamId = (tokenId: string): string => `token-${tokenId}`;

/** Admin-issued API tokens for robots (CI, agents); mounted by the publisher through TokensModule. */
@Controller('api/v1/tokens')
export class TokensController {
  private readonly decider: ReturnType<typeof apiTokenDecider>;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(TOKENS_OPTIONS) private readonly options: Required<TokensOptions>,
  ) {
    this.decider = apiTokenDecider({ maxLifetimeSeconds: options.maxLifetimeSeconds });
  }

  @Post()
  @RequireRoles('admin')
  @HttpCode(201)
  // RFC 6749 §5.1: a response carrying a token must not be stored by caches.
  @Header('Cache-Control', 'no-store')
  async issue(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
  ): Promise<IssuedTokenResponse> {
    const now = this.options.clock();
    const parsed = parseIssueTokenRequest(body, Math.min(this.options.defaultLifetimeSeconds, this.options.maxLifetimeSeconds));
    const tokenId = uuidv7(now.getTime());
    // Whole seconds, so the event's expiresAt equals the JWT's exp exactly.
    const expiresAt = new Date((Math.floor(now.getTime() / 1000) + parsed.lifetimeSeconds) * 1000);
    await handle(
      this.store,
      tokenStreamId(tokenId),
      this.decider,
      { type: 'IssueToken', tokenId, subject: parsed.subject, roles: parsed.roles, permissions: parsed.permissions, expiresAt, now },
      commandContext(request, principal, now),
    );
    // Signed only after TokenIssued is stored: a token that exists is a token that was recorded.
    const issued = await this.tokens.issue({
      tokenId,
      subject: parsed.subject,
      roles: parsed.roles,
      permissions: parsed.permissions,
      authMethod: API_TOKEN_AUTH_METHOD,
      expiresAt,
    });
    return {
      id: tokenId,
      token: issued.token,
      subject: parsed.subject,
      roles: parsed.roles,
      permissions: parsed.permissions,
      expiresAt: issued.expiresAt.toISOString(),
    };
  }

  @Delete(':id')
  @RequireRoles('admin')
  @HttpCode(204)
  async revoke(
    @Param('id') id: string,
    @Query('reason') reason: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() request: HttpRequest,
  ): Promise<void> {
    if (!TOKEN_ID.test(id)) throw new ToolportError('not_found', 'TOKEN_NOT_FOUND', `Token ${id} does not exist`);
    if (reason !== undefined && (typeof reason !== 'string' || reason.length > 500)) {
      throw new ToolportError('invalid', 'REVOCATION_INVALID', 'The reason must be one string of at most 500 characters', [
        { location: 'query.reason', message: 'must be one string of at most 500 characters' },
      ]);
    }
    const now = this.options.clock();
    await handle(
      this.store,
      tokenStreamId(id),
      this.decider,
      { type: 'RevokeToken', tokenId: id, now, ...(reason !== undefined ? { reason } : {}) },
      commandContext(request, principal, now),
    );
  }
}

/** The caller's correlation id if it sent a sane one (else a new one), and the active trace. */
function commandContext(request: HttpRequest, principal: Principal, now: Date): CommandContext {
  const sent = request.headers['x-correlation-id'];
  const correlationId = typeof sent === 'string' && CORRELATION_ID.test(sent) ? sent : uuidv7(now.getTime());
  return { actor: principal.actor, correlationId, causationId: null, traceparent: currentTraceparent(), now };
}
