import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ExchangeRefused } from './exchange-failure';

export interface OidcVerifierOptions {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** Allowed `alg` values: never `none` or a symmetric one, which a JWKS cannot vouch for. */
  algorithms: string[];
  clock: () => Date;
  /** For tests; the remote JWKS at `jwksUrl` otherwise. */
  keys?: JWTVerifyGetKey;
}

/** Asymmetric algorithms an OIDC provider signs ID tokens with (RFC 7518 §3.1, RFC 8037). */
export const OIDC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
/** GitHub Actions signs with RS256 only; the official registry accepts nothing else. */
export const GITHUB_OIDC_ALGORITHMS = ['RS256'];

/**
 * Verifies an external OIDC token (signature by a key of the provider's JWKS, issuer, audience,
 * expiry) and says in plain words what failed. The JWKS is fetched on first use and cached by
 * jose (refetched at most every 30 s when an unknown `kid` appears, so key rotation works).
 */
export class OidcVerifier {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly options: OidcVerifierOptions) {
    this.keys = options.keys ?? createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 5_000 });
  }

  async verify(token: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: this.options.algorithms,
        requiredClaims: ['exp', 'sub'],
        currentDate: this.options.clock(),
      });
      return payload;
    } catch (error) {
      throw new ExchangeRefused(this.explain(error));
    }
  }

  private explain(error: unknown): string {
    const { issuer, audience, algorithms, jwksUrl } = this.options;
    if (error instanceof errors.JWTExpired) {
      const exp = error.payload.exp;
      return typeof exp === 'number' ? `the OIDC token expired at ${new Date(exp * 1000).toISOString()}` : 'the OIDC token has expired';
    }
    if (error instanceof errors.JWTClaimValidationFailed) {
      const actual = error.payload[error.claim];
      if (error.claim === 'iss') return `the OIDC token was issued by ${JSON.stringify(actual)}, this registry accepts ${issuer}`;
      if (error.claim === 'aud') return `the OIDC token's audience is ${JSON.stringify(actual)}, this registry requires ${JSON.stringify(audience)}`;
      if (error.reason === 'missing') return `the OIDC token has no ${error.claim} claim`;
      return `the OIDC token's ${error.claim} claim is not acceptable (${error.message})`;
    }
    if (error instanceof errors.JOSEAlgNotAllowed) return `the OIDC token's algorithm is not accepted (allowed: ${algorithms.join(', ')})`;
    if (error instanceof errors.JWKSNoMatchingKey) return `no key of the provider's JWKS (${jwksUrl}) matches the OIDC token's key id`;
    if (error instanceof errors.JWKSMultipleMatchingKeys) return `several keys of the provider's JWKS match the OIDC token; it names no kid`;
    if (error instanceof errors.JWSSignatureVerificationFailed) return 'the OIDC token\'s signature does not verify with the provider\'s key';
    if (error instanceof errors.JWKSTimeout) return `the provider's JWKS (${jwksUrl}) did not answer in time; try again`;
    if (error instanceof errors.JWKSInvalid) return `the provider's JWKS (${jwksUrl}) is not a valid key set`;
    if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'the OIDC token is not a well-formed signed JWT';
    if (error instanceof errors.JOSENotSupported) return `the OIDC token uses an algorithm or key type this registry does not support`;
    // jose reports a non-200 JWKS answer as a plain JOSEError ("Expected 200 OK ...").
    if (error instanceof errors.JOSEError) return `the OIDC token could not be verified: ${error.message}`;
    // Anything else is the JWKS fetch failing (connection refused, DNS, TLS, non-200).
    return `the provider's JWKS (${jwksUrl}) could not be fetched (${error instanceof Error ? error.message : String(error)})`;
  }
}
