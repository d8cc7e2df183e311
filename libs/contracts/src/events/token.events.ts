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

/** An admin issued an API token. Never carries the token itself, only what it grants. */
export const TokenIssued = defineEvent({
  service: 'publisher',
  aggregate: 'token',
  type: 'TokenIssued',
  schema: Type.Object(
    {
      tokenId: Type.String({ minLength: 1 }),
      subject: Type.String({ minLength: 1, maxLength: 256 }),
      roles: Type.Array(RoleSchema),
      permissions: Type.Array(PermissionSchema),
      expiresAt: Type.String({ format: 'date-time' }),
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
