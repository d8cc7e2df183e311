import type { WellKnownTarget } from './exchange-domain';
import type { TxtResolver } from './txt-records';

/** Injection tokens of the exchange; their values are built in AuthExchangeModule.forRoot. */
export const EXCHANGE_SETTINGS = Symbol.for('toolport.publisher.AuthExchangeSettings');
export const GITHUB_OIDC_VERIFIER = Symbol.for('toolport.publisher.GithubOidcVerifier');
export const OIDC_VERIFIER = Symbol.for('toolport.publisher.OidcVerifier');
export const OIDC_SETTINGS = Symbol.for('toolport.publisher.OidcSettings');

/** What the controllers need at request time, defaults applied. */
export interface ExchangeSettings {
  clock: () => Date;
  allowInsecureLoopback: boolean;
  resolveTxt: TxtResolver;
  fetchWellKnown: (target: WellKnownTarget) => Promise<string>;
}
