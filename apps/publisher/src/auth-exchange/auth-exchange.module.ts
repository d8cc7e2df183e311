import { type DynamicModule, Logger, Module, type Provider, type Type } from '@nestjs/common';
import { TokenService } from '@toolport/auth';
import { EVENT_STORE, type EventStore } from '@toolport/event-store';
import { AnonymousAuthController } from './anonymous-auth.controller';
import { AuthExchangeController } from './auth-exchange.controller';
import type { AuthExchangeOptions } from './auth-exchange.config';
import { EXCHANGE_SETTINGS, GITHUB_OIDC_VERIFIER, OIDC_SETTINGS, OIDC_VERIFIER, type ExchangeSettings } from './auth-exchange.providers';
import { OidcAuthController } from './oidc-auth.controller';
import { GITHUB_OIDC_ALGORITHMS, OIDC_ALGORITHMS, OidcVerifier } from './oidc-verifier';
import { RegistryTokenIssuer } from './registry-token.issuer';
import { TokenExchangeRunner } from './token-exchange.runner';
import { defaultTxtResolver } from './txt-records';
import { fetchWellKnown } from './well-known-fetch';

/**
 * `POST /v0(.1)/auth/{http,dns,github-oidc}`, plus `none` and `oidc` when enabled. Needs
 * AuthModule (global) for TokenService and the publisher's EVENT_STORE (PlatformModule, global)
 * for TokenIssued; the routes are @Public, so the guard lets them through.
 */
const DEVELOPMENT_WARNINGS = Symbol('AuthExchangeDevelopmentWarnings');

@Module({})
export class AuthExchangeModule {
  static forRoot(options: AuthExchangeOptions): DynamicModule {
    const clock = options.clock ?? (() => new Date());
    const settings: ExchangeSettings = {
      clock,
      allowInsecureLoopback: options.allowInsecureLoopback,
      resolveTxt: options.resolveTxt ?? defaultTxtResolver,
      fetchWellKnown: (target) => fetchWellKnown(target, { timeoutMs: options.wellKnownTimeoutMs }),
    };
    const logger = new Logger('AuthExchange');

    const controllers: Type[] = [AuthExchangeController];
    const providers: Provider[] = [
      { provide: EXCHANGE_SETTINGS, useValue: settings },
      {
        // Said while the app starts (in its JSON logs), not when the module is declared.
        provide: DEVELOPMENT_WARNINGS,
        useFactory: () => {
          if (options.allowInsecureLoopback) logger.warn('/auth/http may fetch plain http from loopback (TOOLPORT_AUTH_HTTP_ALLOW_INSECURE_LOOPBACK): development only');
          if (options.anonymous) logger.warn('/auth/none is enabled: anyone may publish to io.modelcontextprotocol.anonymous/* (development only)');
          return true;
        },
      },
      {
        provide: TokenExchangeRunner,
        inject: [TokenService, EVENT_STORE],
        useFactory: (tokens: TokenService, store: EventStore) =>
          new TokenExchangeRunner(new RegistryTokenIssuer(tokens, store, options.tokenTtlSeconds, clock), logger),
      },
      {
        provide: GITHUB_OIDC_VERIFIER,
        useFactory: () => new OidcVerifier({ ...options.githubOidc, algorithms: GITHUB_OIDC_ALGORITHMS, clock }),
      },
    ];
    if (options.anonymous) controllers.push(AnonymousAuthController);
    if (options.oidc !== null) {
      const oidc = options.oidc;
      controllers.push(OidcAuthController);
      providers.push(
        { provide: OIDC_SETTINGS, useValue: oidc },
        { provide: OIDC_VERIFIER, useFactory: () => new OidcVerifier({ jwksUrl: oidc.jwksUrl, issuer: oidc.issuer, audience: oidc.audience, algorithms: OIDC_ALGORITHMS, clock }) },
      );
    }
    return { module: AuthExchangeModule, controllers, providers };
  }
}
