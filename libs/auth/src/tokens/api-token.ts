import type { DataOf, TokenIssued, TokenRevoked } from '@toolport/contracts';
import type { NewEvent } from '@toolport/event-store';
import type { Permission, Role } from '../permissions';

/** An admin-issued API token (a robot's credential); stream `token-<id>`. */
export type ApiTokenEvent =
  | NewEvent<'TokenIssued', DataOf<typeof TokenIssued>>
  | NewEvent<'TokenRevoked', DataOf<typeof TokenRevoked>>;

interface IssuedToken {
  tokenId: string;
  subject: string;
  roles: Role[];
  permissions: Permission[];
  /** ISO 8601, as in the event. */
  expiresAt: string;
}

export type ApiTokenState =
  | { status: 'unknown' }
  | ({ status: 'active' } & IssuedToken)
  | ({ status: 'revoked'; reason: string | null } & IssuedToken);

export const initialState = (): ApiTokenState => ({ status: 'unknown' });

export function evolve(state: ApiTokenState, event: ApiTokenEvent): ApiTokenState {
  switch (event.type) {
    case 'TokenIssued':
      return {
        status: 'active',
        tokenId: event.data.tokenId,
        subject: event.data.subject,
        roles: [...event.data.roles],
        permissions: event.data.permissions.map((p) => ({ ...p })),
        expiresAt: event.data.expiresAt,
      };
    case 'TokenRevoked':
      if (state.status === 'unknown') return state;
      return { ...state, status: 'revoked', reason: event.data.reason ?? null };
  }
}
