import type { Actor } from '@toolport/contracts';
import type { Permission, Role } from './permissions';

/** Who is calling, established once per request by the auth guard. */
export interface Principal {
  /** The token's `sub`: a person, a robot's name, or `bootstrap-admin`. */
  subject: string;
  /** The token's `jti`, used for revocation; null for the bootstrap admin key, which has none. */
  tokenId: string | null;
  roles: Role[];
  permissions: Permission[];
  /** How the subject proved who they are: `api-token`, `github-oidc`, `dns`, `admin-key`... */
  authMethod: string;
  expiresAt: Date | null;
  /** Recorded in the metadata of every event this principal causes. */
  actor: Actor;
}

/** `auth_method` of tokens issued by an admin through `POST /api/v1/tokens`. */
export const API_TOKEN_AUTH_METHOD = 'api-token';
/** `auth_method` of the official registry's anonymous development tokens. */
export const ANONYMOUS_AUTH_METHOD = 'none';

/**
 * The actor an event records for a token's subject: robots (admin-issued API tokens) are
 * `token`, anonymous development tokens are `anonymous`, every token exchange is a `user`.
 */
export function actorFor(authMethod: string, subject: string): Actor {
  if (authMethod === API_TOKEN_AUTH_METHOD) return { kind: 'token', id: subject };
  if (authMethod === ANONYMOUS_AUTH_METHOD) return { kind: 'anonymous', id: subject };
  return { kind: 'user', id: subject };
}
