import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { uuidv7 } from '@toolport/contracts';
import { authErrors } from './auth-errors';
import { isPermissionAction, isRole, type Permission, type Role } from './permissions';
import { actorFor, type Principal } from './principal';
import type { RevocationLookup } from './revocation';
import type { SigningKey } from './signing-keys';

export const DEFAULT_ISSUER = 'toolport';
/** The only algorithm accepted: accepting others invites alg-confusion attacks (RFC 8725 §2.1). */
const ALGORITHM = 'EdDSA';

export interface TokenServiceOptions {
  key: Pick<SigningKey, 'kid' | 'privateKey' | 'publicKey'>;
  /** JWT `iss`; the official registry uses `mcp-registry`. */
  issuer?: string;
  /** JWT `aud`, e.g. the instance's public URL; tokens for another audience are refused. */
  audience: string;
  /** Consulted for every token with a `jti`; without it nothing is ever revoked. */
  revocations?: RevocationLookup;
  clock?: () => Date;
}

export interface IssueTokenRequest {
  /** The token id (`jti`); a new UUIDv7 when omitted. */
  tokenId?: string;
  subject: string;
  roles: readonly Role[];
  permissions: readonly Permission[];
  /** `api-token` for admin-issued tokens, else the exchange method (`github-oidc`, `dns`...). */
  authMethod: string;
  /** The identity the method proved (a GitHub login, a domain); defaults to the subject. */
  authMethodSub?: string;
  expiresAt: Date;
}

export interface IssuedToken {
  token: string;
  tokenId: string;
  /** Whole seconds, as in the JWT's `exp`. */
  expiresAt: Date;
}

/** Claims Toolport puts in every token beyond the registered ones. */
interface ToolportClaims extends JWTPayload {
  roles?: unknown;
  permissions?: unknown;
  auth_method?: unknown;
  auth_method_sub?: unknown;
}

export class TokenService {
  readonly issuer: string;
  readonly audience: string;
  private readonly clock: () => Date;

  constructor(private readonly options: TokenServiceOptions) {
    this.issuer = options.issuer ?? DEFAULT_ISSUER;
    this.audience = options.audience;
    this.clock = options.clock ?? (() => new Date());
  }

  async issue(request: IssueTokenRequest): Promise<IssuedToken> {
    const now = Math.floor(this.clock().getTime() / 1000);
    const exp = Math.floor(request.expiresAt.getTime() / 1000);
    if (exp <= now) throw new Error(`a token must expire in the future (expiresAt ${request.expiresAt.toISOString()})`);
    const tokenId = request.tokenId ?? uuidv7();
    const token = await new SignJWT({
      roles: [...request.roles],
      permissions: request.permissions.map((p) => ({ action: p.action, resource: p.resource })),
      auth_method: request.authMethod,
      auth_method_sub: request.authMethodSub ?? request.subject,
    })
      .setProtectedHeader({ alg: ALGORITHM, kid: this.options.key.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(request.subject)
      .setJti(tokenId)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(this.options.key.privateKey);
    return { token, tokenId, expiresAt: new Date(exp * 1000) };
  }

  /** The principal a token stands for; throws ToolportError `unauthenticated` otherwise. */
  async verify(token: string): Promise<Principal> {
    let payload: ToolportClaims;
    try {
      ({ payload } = await jwtVerify<ToolportClaims>(token, this.options.key.publicKey, {
        algorithms: [ALGORITHM],
        issuer: this.issuer,
        audience: this.audience,
        requiredClaims: ['sub', 'jti', 'exp'],
        currentDate: this.clock(),
      }));
    } catch (error: unknown) {
      throw translateJoseError(error);
    }
    const principal = principalFromClaims(payload);
    if (principal.tokenId !== null && (await this.options.revocations?.isRevoked(principal.tokenId))) {
      throw authErrors.tokenRevoked();
    }
    return principal;
  }
}

function translateJoseError(error: unknown): Error {
  if (error instanceof joseErrors.JWTExpired) {
    const exp = typeof error.payload['exp'] === 'number' ? new Date(error.payload['exp'] * 1000) : null;
    return authErrors.tokenExpired(exp);
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return authErrors.tokenInvalid(`only ${ALGORITHM} tokens are accepted`, 'wrong_algorithm');
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return authErrors.tokenInvalid('its signature does not match this registry\'s key', 'bad_signature');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) return authErrors.tokenInvalid(error.message);
  if (error instanceof joseErrors.JOSEError) return authErrors.tokenInvalid('it is not a well-formed JWT', 'malformed');
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Unknown roles and permission actions are dropped rather than refused: they grant nothing
 * here, and a newer publisher may issue them before every service knows them.
 */
function principalFromClaims(payload: ToolportClaims): Principal {
  const subject = payload.sub as string;
  const roles = Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [];
  const permissions: Permission[] = [];
  if (Array.isArray(payload.permissions)) {
    for (const entry of payload.permissions as unknown[]) {
      if (typeof entry !== 'object' || entry === null) continue;
      const { action, resource } = entry as Record<string, unknown>;
      if (isPermissionAction(action) && typeof resource === 'string' && resource.length > 0) {
        permissions.push({ action, resource });
      }
    }
  }
  if (typeof payload.auth_method !== 'string' || payload.auth_method.length === 0) {
    throw authErrors.tokenInvalid('it has no auth_method claim');
  }
  return {
    subject,
    tokenId: payload.jti as string,
    roles: [...new Set(roles)],
    permissions,
    authMethod: payload.auth_method,
    expiresAt: new Date((payload.exp as number) * 1000),
    actor: actorFor(payload.auth_method, subject),
  };
}
