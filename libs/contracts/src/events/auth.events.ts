import { Type } from '@sinclair/typebox';
import { defineSharedEvent } from '../event-registry';
import { SERVICE_NAMES } from '../naming';

/**
 * Why a request was refused as unauthenticated (401). Only grows: a new reason is a new literal.
 * `missing`: no usable bearer token; `malformed`: not a JWT; `bad_signature`: not signed by this
 * registry's key; `wrong_algorithm`: not EdDSA; `invalid_claims`: wrong issuer or audience, a
 * claim missing; `expired`; `revoked`.
 */
export const AUTH_FAILURE_REASONS = ['missing', 'malformed', 'bad_signature', 'wrong_algorithm', 'invalid_claims', 'expired', 'revoked'] as const;
export type AuthFailureReason = (typeof AUTH_FAILURE_REASONS)[number];
export const AuthFailureReasonSchema = Type.Union(AUTH_FAILURE_REASONS.map((r) => Type.Literal(r)));

/** At most this many distinct claimed subjects and token ids are listed (the rest are counted). */
export const MAX_LISTED_CLAIMS = 20;

/**
 * A source (one client IP) failed to authenticate at least `threshold` times within a sliding
 * window of `windowSeconds` at one service. Shared (defineSharedEvent): every service
 * authenticates requests, so each emits it about itself into its own store and stream
 * (`<instance>.<service>.auth.AuthenticationFailureBurstDetected`), at most once per window per
 * source. Never carries a token or an Authorization header: only what the presented tokens
 * claimed (`sub`, `jti`), read without trusting them.
 */
export const AuthenticationFailureBurstDetected = defineSharedEvent({
  aggregate: 'auth',
  type: 'AuthenticationFailureBurstDetected',
  schema: Type.Object(
    {
      /** The service that refused the requests; also the owner of the event (checked on append). */
      service: Type.Union(SERVICE_NAMES.map((s) => Type.Literal(s))),
      /** The client address as the service saw it (Fastify's `request.ip`: X-Forwarded-For only through proxies trusted by TOOLPORT_TRUST_PROXY). */
      sourceIp: Type.String({ minLength: 1, maxLength: 100 }),
      /** Failures from this source within the window when the burst was detected (at least `threshold`). */
      count: Type.Integer({ minimum: 1 }),
      threshold: Type.Integer({ minimum: 1 }),
      windowSeconds: Type.Integer({ minimum: 1 }),
      /** The sliding window the failures were counted in: [windowEnd - windowSeconds, windowEnd]. */
      windowStart: Type.String({ format: 'date-time' }),
      windowEnd: Type.String({ format: 'date-time' }),
      firstSeenAt: Type.String({ format: 'date-time' }),
      lastSeenAt: Type.String({ format: 'date-time' }),
      /** How many of the failures had each reason; reasons that did not occur are left out. */
      reasons: Type.Array(Type.Object({ reason: AuthFailureReasonSchema, count: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), {
        minItems: 1,
      }),
      /** Distinct `sub` claims of the presented tokens, unverified (most frequent first, at most MAX_LISTED_CLAIMS). */
      claimedSubjects: Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: MAX_LISTED_CLAIMS }),
      /** Distinct `jti` claims of the presented tokens, unverified (at most MAX_LISTED_CLAIMS). */
      claimedTokenIds: Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: MAX_LISTED_CLAIMS }),
    },
    { additionalProperties: false },
  ),
});
