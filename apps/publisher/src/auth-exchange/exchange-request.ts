import { type ErrorItem, ToolportError } from '@toolport/contracts';

/** Body of `POST /auth/http` and `POST /auth/dns` (official `SignatureTokenExchangeInput`). */
export interface SignedTimestampRequest {
  domain: string;
  timestamp: string;
  /** Hex signature of `timestamp`. */
  signedTimestamp: string;
}

/** Body of `POST /auth/oidc` and `POST /auth/github-oidc`. */
export interface OidcTokenRequest {
  oidcToken: string;
}

/** Generous bounds that still keep a malicious body from costing anything: a domain is ≤253, an ID token a few KB. */
const MAX_FIELD = { domain: 1024, timestamp: 64, signed_timestamp: 1024, oidc_token: 16 * 1024 } as const;

/** 400 for a body without the required string fields; whether their values prove anything is a 401 later. */
export function parseSignedTimestampRequest(body: unknown): SignedTimestampRequest {
  const fields = requireStrings(body, ['domain', 'timestamp', 'signed_timestamp']);
  return { domain: fields['domain']!, timestamp: fields['timestamp']!, signedTimestamp: fields['signed_timestamp']! };
}

export function parseOidcTokenRequest(body: unknown): OidcTokenRequest {
  return { oidcToken: requireStrings(body, ['oidc_token'])['oidc_token']! };
}

function requireStrings<K extends keyof typeof MAX_FIELD>(body: unknown, names: readonly K[]): Record<K, string> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid(`The request body must be a JSON object with ${names.join(', ')}`, [{ location: 'body', message: 'must be a JSON object' }]);
  }
  const record = body as Record<string, unknown>;
  const problems: ErrorItem[] = [];
  const values = {} as Record<K, string>;
  for (const name of names) {
    const value = record[name];
    if (value === undefined || value === null) problems.push({ location: `body.${name}`, message: 'is required' });
    else if (typeof value !== 'string') problems.push({ location: `body.${name}`, message: 'must be a string' });
    else if (value.length === 0) problems.push({ location: `body.${name}`, message: 'must not be empty' });
    else if (value.length > MAX_FIELD[name]) problems.push({ location: `body.${name}`, message: `must be at most ${MAX_FIELD[name]} characters` });
    else values[name] = value;
  }
  if (problems.length > 0) {
    throw invalid(`The request body is not valid: ${problems.map((p) => `${p.location?.slice('body.'.length)} ${p.message}`).join('; ')}`, problems);
  }
  return values;
}

const invalid = (detail: string, errors: ErrorItem[]): ToolportError => new ToolportError('invalid', 'AUTH_REQUEST_INVALID', detail, errors);
