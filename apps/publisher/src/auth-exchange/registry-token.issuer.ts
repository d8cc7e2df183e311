import type { Permission, TokenService } from '@toolport/auth';
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

/** Signs exchanged grants as short-lived publisher tokens. */
export class RegistryTokenIssuer {
  constructor(
    private readonly tokens: TokenService,
    private readonly ttlSeconds: number,
    private readonly clock: () => Date,
  ) {}

  async issue(grant: ExchangeGrant): Promise<IssuedRegistryToken> {
    // Whole seconds: the JWT's exp and expires_at are the same number.
    const expiresAt = new Date((Math.floor(this.clock().getTime() / 1000) + this.ttlSeconds) * 1000);
    const issued = await this.tokens.issue({
      subject: grant.subject,
      roles: ['publisher'],
      permissions: grant.permissions,
      authMethod: grant.method,
      authMethodSub: grant.authMethodSub,
      expiresAt,
    });
    const expiresAtSeconds = Math.floor(issued.expiresAt.getTime() / 1000);
    return { response: { registry_token: issued.token, expires_at: expiresAtSeconds }, tokenId: issued.tokenId, expiresAt: issued.expiresAt };
  }
}
