import { randomUUID } from 'node:crypto';
import { ALL_EVENTS, type CommandContext, type DataOf, EventRegistry, type TokenIssued, type TokenRevoked } from '@toolport/contracts';
import type { NewEvent } from '../event-store';

export const registry = new EventRegistry(ALL_EVENTS);

export type TokenIssuedEvent = NewEvent<'TokenIssued', DataOf<typeof TokenIssued>>;
export type TokenRevokedEvent = NewEvent<'TokenRevoked', DataOf<typeof TokenRevoked>>;
export type TokenEvent = TokenIssuedEvent | TokenRevokedEvent;

export const EXPIRES_AT = '2031-01-01T00:00:00.000Z';

export function tokenIssued(tokenId: string, subject = 'ci-robot'): TokenIssuedEvent {
  return {
    type: 'TokenIssued',
    data: { tokenId, subject, roles: ['publisher'], permissions: [{ action: 'publish', resource: 'io.example/*' }], expiresAt: EXPIRES_AT },
  };
}

export function tokenRevoked(tokenId: string, reason?: string): TokenRevokedEvent {
  return { type: 'TokenRevoked', data: { tokenId, expiresAt: EXPIRES_AT, ...(reason === undefined ? {} : { reason }) } };
}

export function testContext(overrides: Partial<CommandContext> = {}): CommandContext {
  return {
    actor: { kind: 'user', id: 'alice@example.com' },
    correlationId: randomUUID(),
    now: new Date('2030-05-06T07:08:09.123Z'),
    ...overrides,
  };
}

/** A stream id no other test uses, so tests can share one store. */
export const freshStreamId = (label = 'token'): string => `${label}-${randomUUID()}`;
