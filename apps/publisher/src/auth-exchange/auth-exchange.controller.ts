import { Body, Controller, Header, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { Public } from '@toolport/auth';
import { EXCHANGE_SETTINGS, GITHUB_OIDC_VERIFIER, type ExchangeSettings } from './auth-exchange.providers';
import { parseOidcTokenRequest, parseSignedTimestampRequest } from './exchange-request';
import { exchangeGithubOidc } from './oidc.exchange';
import type { OidcVerifier } from './oidc-verifier';
import type { ExchangeRequest, RegistryTokenResponse } from './registry-token.issuer';
import { exchangeDns, exchangeHttp } from './signed-timestamp.exchange';
import { TokenExchangeRunner } from './token-exchange.runner';

/**
 * The exchanges every registry serves: http, dns and github-oidc. Public (they are how one gets
 * a token), 200 like the official registry (`mcp-publisher` accepts nothing else), and
 * `Cache-Control: no-store` as for any response carrying a token (RFC 6749 §5.1).
 */
@Controller(['v0/auth', 'v0.1/auth'])
@Public()
export class AuthExchangeController {
  constructor(
    @Inject(TokenExchangeRunner) private readonly runner: TokenExchangeRunner,
    @Inject(EXCHANGE_SETTINGS) private readonly settings: ExchangeSettings,
    @Inject(GITHUB_OIDC_VERIFIER) private readonly githubVerifier: OidcVerifier,
  ) {}

  @Post('http')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  http(@Body() body: unknown, @Req() http: ExchangeRequest): Promise<RegistryTokenResponse> {
    const request = parseSignedTimestampRequest(body);
    const { clock, allowInsecureLoopback, fetchWellKnown } = this.settings;
    return this.runner.run('http', http, () => exchangeHttp(request, { now: clock(), allowInsecureLoopback, fetchWellKnown }));
  }

  @Post('dns')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  dns(@Body() body: unknown, @Req() http: ExchangeRequest): Promise<RegistryTokenResponse> {
    const request = parseSignedTimestampRequest(body);
    const { clock, resolveTxt } = this.settings;
    return this.runner.run('dns', http, () => exchangeDns(request, { now: clock(), resolveTxt }));
  }

  @Post('github-oidc')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  githubOidc(@Body() body: unknown, @Req() http: ExchangeRequest): Promise<RegistryTokenResponse> {
    const request = parseOidcTokenRequest(body);
    return this.runner.run('github-oidc', http, () => exchangeGithubOidc(request, this.githubVerifier));
  }
}
