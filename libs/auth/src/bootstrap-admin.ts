import { createHash, timingSafeEqual } from 'node:crypto';
import type { Principal } from './principal';

export const MIN_ADMIN_KEY_LENGTH = 32;
export const BOOTSTRAP_ADMIN_ID = 'bootstrap-admin';
export const ADMIN_KEY_AUTH_METHOD = 'admin-key';

/**
 * The operator's key for the first admin actions (issuing the first API tokens), accepted as a
 * bearer token. It never expires and cannot be revoked except by changing the configuration,
 * so a short one is refused at start rather than accepted.
 */
export class BootstrapAdminKey {
  private readonly digest: Buffer;

  constructor(key: string) {
    if (key.length < MIN_ADMIN_KEY_LENGTH) {
      throw new Error(
        `The bootstrap admin key (TOOLPORT_ADMIN_KEY) must be at least ${MIN_ADMIN_KEY_LENGTH} characters ` +
          `long, it has ${key.length}: generate one with \`openssl rand -hex 32\`, or leave it unset`,
      );
    }
    this.digest = sha256(key);
  }

  /**
   * Constant time: both sides are hashed to 32 bytes first, so neither the comparison nor a
   * length check reveals how much of a guess was right (timingSafeEqual needs equal lengths).
   */
  matches(candidate: string): boolean {
    return timingSafeEqual(this.digest, sha256(candidate));
  }

  principal(): Principal {
    return {
      subject: BOOTSTRAP_ADMIN_ID,
      tokenId: null,
      roles: ['admin'],
      permissions: [],
      authMethod: ADMIN_KEY_AUTH_METHOD,
      expiresAt: null,
      actor: { kind: 'token', id: BOOTSTRAP_ADMIN_ID },
    };
  }
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
