import type { Decider } from '../handle';
import { type TokenEvent, tokenIssued, tokenRevoked } from './test-events';

/** A small real decider over the token events, used by the handle() and spec-helper tests. */
export type TokenState = { status: 'none' } | { status: 'issued'; tokenId: string } | { status: 'revoked'; tokenId: string };

export type TokenCommand =
  | { type: 'IssueToken'; tokenId: string; subject: string }
  | { type: 'RevokeToken'; tokenId: string; reason: string };

export class TokenNotIssued extends Error {
  readonly code = 'TOKEN_NOT_ISSUED';
}

export const tokenDecider: Decider<TokenState, TokenCommand, TokenEvent> = {
  initialState: () => ({ status: 'none' }),
  evolve: (state, event) => {
    switch (event.type) {
      case 'TokenIssued':
        return { status: 'issued', tokenId: event.data.tokenId };
      case 'TokenRevoked':
        return { status: 'revoked', tokenId: event.data.tokenId };
      default:
        return state;
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'IssueToken':
        // Issuing again is a no-op, so a retried request does not issue twice.
        return state.status === 'none' ? [tokenIssued(command.tokenId, command.subject)] : [];
      case 'RevokeToken':
        if (state.status === 'none') throw new TokenNotIssued(`token ${command.tokenId} was never issued`);
        return state.status === 'issued' ? [tokenRevoked(command.tokenId, command.reason)] : [];
    }
  },
};
