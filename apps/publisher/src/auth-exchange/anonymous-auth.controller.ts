import { Controller, Header, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { Public } from '@toolport/auth';
import { anonymousPermissions } from './exchange-permissions';
import type { ExchangeRequest, RegistryTokenResponse } from './registry-token.issuer';
import { TokenExchangeRunner } from './token-exchange.runner';

/**
 * `POST /auth/none` (TOOLPORT_AUTH_ANONYMOUS=true): for development and `mcp-publisher login none`.
 * Like the official registry, a registry without it does not register the route at all, so the
 * caller gets 404 rather than a 401 that would suggest the method could work.
 */
@Controller(['v0/auth', 'v0.1/auth'])
@Public()
export class AnonymousAuthController {
  constructor(@Inject(TokenExchangeRunner) private readonly runner: TokenExchangeRunner) {}

  // The body is ignored: mcp-publisher sends none.
  @Post('none')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  none(@Req() http: ExchangeRequest): Promise<RegistryTokenResponse> {
    return this.runner.run('none', http, async () => ({
      method: 'none',
      subject: 'anonymous',
      authMethodSub: 'anonymous',
      permissions: anonymousPermissions(),
    }));
  }
}
