import { Type } from '@sinclair/typebox';
import { defineEvent } from '../event-registry';

export const RoleSchema = Type.Union([
  Type.Literal('admin'),
  Type.Literal('publisher'),
  Type.Literal('reviewer'),
  Type.Literal('reader'),
  Type.Literal('ops'),
  Type.Literal('auditor'),
]);

export const PermissionSchema = Type.Object(
  {
    action: Type.Union([Type.Literal('publish'), Type.Literal('edit')]),
    resource: Type.String({ minLength: 1, maxLength: 256 }),
  },
  { additionalProperties: false },
);

/**
 * A token was issued: by an admin (an API token for a robot, `POST /api/v1/tokens`) or through
 * the registry's token exchange (`/v0/auth/*`), one event per exchange. Stream `token-<tokenId>`
 * either way, so an admin can revoke any issued token. Never carries the token itself, only who
 * it is for and what it grants.
 */
export const TokenIssued = defineEvent({
  service: 'publisher',
  aggregate: 'token',
  type: 'TokenIssued',
  schema: Type.Object(
    {
      /** The JWT's `jti`. */
      tokenId: Type.String({ minLength: 1 }),
      /** The JWT's `sub` (for an exchange it names the method: `dns:example.com`). */
      subject: Type.String({ minLength: 1, maxLength: 256 }),
      roles: Type.Array(RoleSchema),
      permissions: Type.Array(PermissionSchema),
      expiresAt: Type.String({ format: 'date-time' }),
      /**
       * How the subject proved who they are, the JWT's `auth_method`: `api-token` (admin-issued)
       * or the exchange method (`github-oidc`, `oidc`, `dns`, `http`, `none`). Added later:
       * events without it were all admin-issued.
       */
      authMethod: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
      /** The identity the exchange proved, the JWT's `auth_method_sub` (a domain, an OIDC `sub`); exchanges only. */
      authMethodSub: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    },
    { additionalProperties: false },
  ),
});

/** A token must no longer be accepted by any service, from the moment this event is seen. */
export const TokenRevoked = defineEvent({
  service: 'publisher',
  aggregate: 'token',
  type: 'TokenRevoked',
  schema: Type.Object(
    {
      tokenId: Type.String({ minLength: 1 }),
      /** Until when the token would have been valid: consumers may forget the revocation after it. */
      expiresAt: Type.String({ format: 'date-time' }),
      reason: Type.Optional(Type.String({ maxLength: 500 })),
    },
    { additionalProperties: false },
  ),
});
