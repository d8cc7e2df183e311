import { Type } from '@sinclair/typebox';
import { defineEvent } from '../event-registry';

/**
 * The audit log signed a tree head (apps/audit, RFC 6962 §3.5 in spirit). Published on the audit
 * stream so that other parties hold copies: a later head that is not consistent with one of
 * these proves the log was rewritten. The fields are exactly the signed head's.
 */
export const TreeHeadSigned = defineEvent({
  service: 'audit',
  aggregate: 'log',
  type: 'TreeHeadSigned',
  schema: Type.Object(
    {
      treeSize: Type.Integer({ minimum: 1 }),
      /** Hex SHA-256 Merkle root of the first treeSize records. */
      rootHash: Type.String({ pattern: '^[a-f0-9]{64}$' }),
      timestamp: Type.String({ format: 'date-time' }),
      /** Base64 Ed25519 signature over the head's signing input. */
      signature: Type.String({ minLength: 1, maxLength: 200 }),
      /** Base64url SHA-256 of the raw public key. */
      keyId: Type.String({ minLength: 1, maxLength: 100 }),
    },
    { additionalProperties: false },
  ),
});
