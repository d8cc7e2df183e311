import { Body, Controller, Header, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { Public } from '@toolport/auth';
import type { OidcExchangeSettings } from './auth-exchange.config';
import { OIDC_SETTINGS, OIDC_VERIFIER } from './auth-exchange.providers';
import { parseOidcTokenRequest } from './exchange-request';
import { exchangeOidc } from './oidc.exchange';
import type { OidcVerifier } from './oidc-verifier';
import type { ExchangeRequest, RegistryTokenResponse } from './registry-token.issuer';
import { TokenExchangeRunner } from './token-exchange.runner';

/**
 * `POST /auth/oidc` (TOOLPORT_OIDC_ISSUER set): the company's identity provider, for
 * administrators. Registered only when configured, as in the official registry (OIDC_ENABLED).
 */
@Controller(['v0/auth', 'v0.1/auth'])
@Public()
export class OidcAuthController {
  constructor(
    @Inject(TokenExchangeRunner) private readonly runner: TokenExchangeRunner,
    @Inject(OIDC_SETTINGS) private readonly settings: OidcExchangeSettings,
    @Inject(OIDC_VERIFIER) private readonly verifier: OidcVerifier,
  ) {}

  @Post('oidc')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  oidc(@Body() body: unknown, @Req() http: ExchangeRequest): Promise<RegistryTokenResponse> {
    const request = parseOidcTokenRequest(body);
    return this.runner.run('oidc', http, () => exchangeOidc(request, this.verifier, this.settings));
  }
}
