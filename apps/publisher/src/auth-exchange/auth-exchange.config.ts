import { patternProblem } from '@toolport/auth';
import type { EnvReader } from '@toolport/config';
import type { ExtraClaimRule } from './oidc-claims';
import type { TxtResolver } from './txt-records';

/**
 * Settings of the token exchange (`POST /v0(.1)/auth/*`). Environment, all optional:
 *
 * | variable | default | meaning |
 * | --- | --- | --- |
 * | TOOLPORT_AUTH_ANONYMOUS | false | serve `POST /auth/none` (publish+edit `io.modelcontextprotocol.anonymous/*`); development only |
 * | TOOLPORT_AUTH_HTTP_ALLOW_INSECURE_LOOPBACK | false | let `/auth/http` fetch `http://localhost`, `127.0.0.1`, `[::1]` (with port); development and tests only |
 * | TOOLPORT_REGISTRY_TOKEN_TTL_SECONDS | 300 | lifetime of an exchanged token (official registry: 5 minutes); 10..86400 |
 * | TOOLPORT_OIDC_ISSUER | unset | enables `POST /auth/oidc`; the `iss` tokens must carry |
 * | TOOLPORT_OIDC_AUDIENCE | required with ISSUER | the `aud` tokens must carry (the client id) |
 * | TOOLPORT_OIDC_JWKS_URL | required with ISSUER | the provider's JWKS (https; http only to loopback) |
 * | TOOLPORT_OIDC_EXTRA_CLAIMS | `[]` | JSON array of objects, all must match, e.g. `[{"hd":"acme.com"}]` |
 * | TOOLPORT_OIDC_PUBLISH_PERMISSIONS | empty | comma list of name patterns OIDC users may publish to (e.g. `*`) |
 * | TOOLPORT_OIDC_EDIT_PERMISSIONS | empty | comma list of name patterns OIDC users may edit |
 * | TOOLPORT_GITHUB_OIDC_JWKS_URL | https://token.actions.githubusercontent.com/.well-known/jwks | |
 * | TOOLPORT_GITHUB_OIDC_ISSUER | https://token.actions.githubusercontent.com | |
 * | TOOLPORT_GITHUB_OIDC_AUDIENCE | mcp-registry | the audience `mcp-publisher login github-oidc` requests |
 */
export interface AuthExchangeOptions {
  /** `POST /auth/none`: off unless asked for, as in the official registry (ENABLE_ANONYMOUS_AUTH). */
  anonymous: boolean;
  /** `/auth/http` over plain http, to loopback only: for tests that serve the well-known file locally. */
  allowInsecureLoopback: boolean;
  tokenTtlSeconds: number;
  /** The generic OIDC method (`POST /auth/oidc`); null leaves the route unregistered. */
  oidc: OidcExchangeSettings | null;
  githubOidc: GithubOidcSettings;
  /** Injected by tests; the system clock otherwise. */
  clock?: () => Date;
  /** TXT lookup for `/auth/dns`; node:dns/promises `resolveTxt` otherwise. */
  resolveTxt?: TxtResolver;
  /** Time allowed for the whole well-known fetch (default 10 s, as the official registry). */
  wellKnownTimeoutMs?: number;
}

export interface OidcExchangeSettings {
  issuer: string;
  audience: string;
  jwksUrl: string;
  extraClaims: ExtraClaimRule[];
  publishPermissions: string[];
  editPermissions: string[];
}

export interface GithubOidcSettings {
  jwksUrl: string;
  issuer: string;
  audience: string;
}

export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';
export const GITHUB_ACTIONS_JWKS_URL = `${GITHUB_ACTIONS_ISSUER}/.well-known/jwks`;
export const GITHUB_OIDC_AUDIENCE = 'mcp-registry';
export const DEFAULT_TOKEN_TTL_SECONDS = 300;

/** Reads the settings through `read`; problems are collected there and reported by `read.done()`. */
export function parseAuthExchangeConfig(read: EnvReader): AuthExchangeOptions {
  return {
    anonymous: read.bool('TOOLPORT_AUTH_ANONYMOUS', false),
    allowInsecureLoopback: read.bool('TOOLPORT_AUTH_HTTP_ALLOW_INSECURE_LOOPBACK', false),
    tokenTtlSeconds: read.int('TOOLPORT_REGISTRY_TOKEN_TTL_SECONDS', DEFAULT_TOKEN_TTL_SECONDS, { min: 10, max: 86_400 }),
    oidc: parseOidc(read),
    githubOidc: {
      jwksUrl: jwksUrl(read, 'TOOLPORT_GITHUB_OIDC_JWKS_URL', GITHUB_ACTIONS_JWKS_URL),
      issuer: read.string('TOOLPORT_GITHUB_OIDC_ISSUER', GITHUB_ACTIONS_ISSUER),
      audience: read.string('TOOLPORT_GITHUB_OIDC_AUDIENCE', GITHUB_OIDC_AUDIENCE),
    },
  };
}

function parseOidc(read: EnvReader): OidcExchangeSettings | null {
  const issuer = read.optional('TOOLPORT_OIDC_ISSUER');
  const others = ['TOOLPORT_OIDC_AUDIENCE', 'TOOLPORT_OIDC_JWKS_URL', 'TOOLPORT_OIDC_EXTRA_CLAIMS', 'TOOLPORT_OIDC_PUBLISH_PERMISSIONS', 'TOOLPORT_OIDC_EDIT_PERMISSIONS'];
  if (issuer === null) {
    // A half-configured OIDC method would silently stay off: say so instead.
    const stray = others.filter((name) => read.optional(name) !== null);
    read.check(stray.join(', '), stray.length === 0, 'is set but TOOLPORT_OIDC_ISSUER is not: set it to enable POST /auth/oidc');
    return null;
  }
  const audience = read.optional('TOOLPORT_OIDC_AUDIENCE');
  read.check('TOOLPORT_OIDC_AUDIENCE', audience !== null, 'is required when TOOLPORT_OIDC_ISSUER is set');
  const jwks = read.optional('TOOLPORT_OIDC_JWKS_URL') === null ? null : jwksUrl(read, 'TOOLPORT_OIDC_JWKS_URL', '');
  read.check('TOOLPORT_OIDC_JWKS_URL', jwks !== null, 'is required when TOOLPORT_OIDC_ISSUER is set');
  const publishPermissions = patternList(read, 'TOOLPORT_OIDC_PUBLISH_PERMISSIONS');
  const editPermissions = patternList(read, 'TOOLPORT_OIDC_EDIT_PERMISSIONS');
  read.check(
    'TOOLPORT_OIDC_PUBLISH_PERMISSIONS',
    publishPermissions.length + editPermissions.length > 0,
    'or TOOLPORT_OIDC_EDIT_PERMISSIONS must grant at least one pattern, else OIDC tokens allow nothing',
  );
  return {
    issuer,
    audience: audience ?? '',
    jwksUrl: jwks ?? '',
    extraClaims: extraClaimRules(read, 'TOOLPORT_OIDC_EXTRA_CLAIMS'),
    publishPermissions,
    editPermissions,
  };
}

/** https, or http to this machine only (a test's local JWKS server): keys fetched in clear text could be swapped. */
function jwksUrl(read: EnvReader, name: string, fallback: string): string {
  const raw = read.string(name, fallback);
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    read.check(name, false, `must be a URL (got ${JSON.stringify(raw)})`);
    return raw;
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  read.check(name, url.protocol === 'https:' || (url.protocol === 'http:' && loopback), `must use https, or http to localhost only (got ${raw})`);
  return raw;
}

function patternList(read: EnvReader, name: string): string[] {
  const patterns = (read.optional(name) ?? '')
    .split(',')
    .map((pattern) => pattern.trim())
    .filter((pattern) => pattern.length > 0);
  for (const pattern of patterns) {
    const problem = patternProblem(pattern);
    read.check(name, problem === null, `pattern ${JSON.stringify(pattern)} ${problem ?? ''}`);
  }
  return [...new Set(patterns)];
}

function extraClaimRules(read: EnvReader, name: string): ExtraClaimRule[] {
  const raw = read.optional(name);
  if (raw === null) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    read.check(name, false, 'must be JSON, e.g. [{"hd":"acme.com"}]');
    return [];
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.every((rule: unknown) => typeof rule === 'object' && rule !== null && !Array.isArray(rule) && Object.keys(rule).length > 0);
  read.check(name, valid, 'must be a JSON array of non-empty objects, e.g. [{"hd":"acme.com"}]');
  return valid ? (parsed as ExtraClaimRule[]) : [];
}
