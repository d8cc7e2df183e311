import { actorFor, apiTokenDecider, type Permission, tokenStreamId, type TokenService } from '@toolport/auth';
import { uuidv7 } from '@toolport/contracts';
import { type EventStore, handle } from '@toolport/event-store';
import { commandContextFromRequest } from '@toolport/platform';
import type { FastifyRequest } from 'fastify';
import type { ExchangeMethod } from './exchange-failure';

/** What a successful exchange proved: who, how, and which names they may publish or edit. */
export interface ExchangeGrant {
  method: ExchangeMethod;
  /** The token's `sub`, naming the method too (`dns:example.com`), so every event's actor says how it was proven. */
  subject: string;
  /** The identity the method proved (a domain, the OIDC `sub`): the JWT's `auth_method_sub`. */
  authMethodSub: string;
  permissions: Permission[];
}

/** The official registry's token response (`auth.TokenResponse`). */
export interface RegistryTokenResponse {
  registry_token: string;
  /** Unix seconds. */
  expires_at: number;
}

export interface IssuedRegistryToken {
  response: RegistryTokenResponse;
  tokenId: string;
  expiresAt: Date;
}

/** The exchange's HTTP request, for the correlation id and trace of the TokenIssued event. */
export type ExchangeRequest = Pick<FastifyRequest, 'headers'>;

/**
 * Signs exchanged grants as short-lived publisher tokens, each recorded first as `TokenIssued`
 * (stream `token-<jti>`, actor: the subject that proved itself) in the publisher's store: the
 * audit log answers "which tokens were issued" for exchanges as for admin API tokens, and an
 * admin can revoke an exchanged token (`DELETE /api/v1/tokens/{jti}`). One event per exchange:
 * the official CLI exchanges once per `mcp-publisher login`/publish run, not per request.
 */
export class RegistryTokenIssuer {
  private readonly decider = apiTokenDecider();

  constructor(
    private readonly tokens: TokenService,
    private readonly store: EventStore,
    private readonly ttlSeconds: number,
    private readonly clock: () => Date,
  ) {}

  async issue(grant: ExchangeGrant, request: ExchangeRequest): Promise<IssuedRegistryToken> {
    const now = this.clock();
    // Whole seconds: the JWT's exp, expires_at and the event's expiresAt are the same instant.
    const expiresAt = new Date((Math.floor(now.getTime() / 1000) + this.ttlSeconds) * 1000);
    const tokenId = uuidv7(now.getTime());
    const roles = ['publisher' as const];
    // Recorded before it is signed: a token that exists is a token that was recorded. If the
    // append fails the exchange fails (500) and no token leaves the registry.
    await handle(
      this.store,
      tokenStreamId(tokenId),
      this.decider,
      { type: 'IssueExchangedToken', tokenId, subject: grant.subject, roles, permissions: grant.permissions, authMethod: grant.method, authMethodSub: grant.authMethodSub, expiresAt, now },
      commandContextFromRequest(request as FastifyRequest, actorFor(grant.method, grant.subject), now),
    );
    const issued = await this.tokens.issue({
      tokenId,
      subject: grant.subject,
      roles,
      permissions: grant.permissions,
      authMethod: grant.method,
      authMethodSub: grant.authMethodSub,
      expiresAt,
    });
    const expiresAtSeconds = Math.floor(issued.expiresAt.getTime() / 1000);
    return { response: { registry_token: issued.token, expires_at: expiresAtSeconds }, tokenId: issued.tokenId, expiresAt: issued.expiresAt };
  }
}
