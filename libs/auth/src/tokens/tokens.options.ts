import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from './api-token.decide';
import { DEFAULT_TOKEN_LIFETIME_SECONDS } from './issue-token.request';

export interface TokensOptions {
  /** Longest lifetime an admin may give a token (default 90 days). */
  maxLifetimeSeconds?: number;
  /** Lifetime when the request names none (default 30 days, capped at the maximum). */
  defaultLifetimeSeconds?: number;
  clock?: () => Date;
}

export const TOKENS_OPTIONS = Symbol.for('toolport.auth.TokensOptions');

export function resolveTokensOptions(options: TokensOptions): Required<TokensOptions> {
  const maxLifetimeSeconds = options.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  if (!Number.isSafeInteger(maxLifetimeSeconds) || maxLifetimeSeconds <= 0) {
    throw new Error(`the maximum token lifetime must be a positive number of seconds, got ${String(options.maxLifetimeSeconds)}`);
  }
  return {
    maxLifetimeSeconds,
    defaultLifetimeSeconds: Math.min(options.defaultLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS, maxLifetimeSeconds),
    clock: options.clock ?? (() => new Date()),
  };
}
