import { type ErrorItem, ToolportError } from '@toolport/contracts';
import type { Decider } from '@toolport/event-store';
import { isPermissionAction, isRole, patternProblem, type Permission, type Role } from '../permissions';
import { API_TOKEN_AUTH_METHOD } from '../principal';
import { evolve, initialState, type ApiTokenEvent, type ApiTokenState } from './api-token';

export interface IssueToken {
  type: 'IssueToken';
  tokenId: string;
  subject: string;
  roles: Role[];
  permissions: Permission[];
  expiresAt: Date;
  /** When the command is decided: the lifetime bound is measured from here. */
  now: Date;
}

/**
 * A token the publisher's exchange (`/v0/auth/*`) is about to sign, recorded first so that every
 * token that exists was recorded (and audited), and an admin can revoke it like an API token.
 * The exchange already decided its grants from the proof (the official registry's rules), so
 * the admin issuing policy (roles go with namespaces, longest lifetime) does not apply here.
 */
export interface IssueExchangedToken {
  type: 'IssueExchangedToken';
  tokenId: string;
  subject: string;
  roles: Role[];
  permissions: Permission[];
  /** The exchange method, the JWT's `auth_method` (`github-oidc`, `dns`...). */
  authMethod: string;
  /** What the method proved, the JWT's `auth_method_sub`. */
  authMethodSub: string;
  expiresAt: Date;
  now: Date;
}

export interface RevokeToken {
  type: 'RevokeToken';
  tokenId: string;
  reason?: string;
  now: Date;
}

export type ApiTokenCommand = IssueToken | IssueExchangedToken | RevokeToken;

export interface ApiTokenPolicy {
  /** Longest lifetime an API token may be issued with. */
  maxLifetimeSeconds: number;
}

/** 90 days: long enough for a quarterly rotation of CI secrets, short enough that a leak ends. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 90 * 24 * 60 * 60;
const DEFAULT_POLICY: ApiTokenPolicy = { maxLifetimeSeconds: DEFAULT_MAX_TOKEN_LIFETIME_SECONDS };

export function decide(command: ApiTokenCommand, state: ApiTokenState, policy: ApiTokenPolicy = DEFAULT_POLICY): ApiTokenEvent[] {
  switch (command.type) {
    case 'IssueToken':
      return issue(command, state, policy);
    case 'IssueExchangedToken':
      return issueExchanged(command, state);
    case 'RevokeToken':
      return revoke(command, state);
  }
}

function issue(command: IssueToken, state: ApiTokenState, policy: ApiTokenPolicy): ApiTokenEvent[] {
  if (state.status !== 'unknown') {
    throw new ToolportError('conflict', 'TOKEN_EXISTS', `Token ${command.tokenId} has already been issued`);
  }
  const problems = [...subjectProblems(command), ...grantProblems(command), ...lifetimeProblems(command, policy)];
  if (problems.length > 0) {
    throw new ToolportError(
      'invalid',
      'TOKEN_REQUEST_INVALID',
      `The token cannot be issued: ${problems.map((p) => `${p.location} ${p.message}`).join('; ')}`,
      problems,
    );
  }
  return [tokenIssued(command, { authMethod: API_TOKEN_AUTH_METHOD })];
}

function issueExchanged(command: IssueExchangedToken, state: ApiTokenState): ApiTokenEvent[] {
  if (state.status !== 'unknown') {
    throw new ToolportError('conflict', 'TOKEN_EXISTS', `Token ${command.tokenId} has already been issued`);
  }
  // Both are bugs of the caller, not of the proof: the exchange sets them itself.
  if (command.authMethod === API_TOKEN_AUTH_METHOD) throw new Error(`an exchanged token cannot have auth method ${API_TOKEN_AUTH_METHOD}`);
  if (command.expiresAt.getTime() <= command.now.getTime()) throw new Error(`an exchanged token must expire after it is issued (${command.expiresAt.toISOString()})`);
  return [tokenIssued(command, { authMethod: command.authMethod, authMethodSub: command.authMethodSub })];
}

/**
 * Revoking twice is a no-op rather than a conflict: DELETE is idempotent (RFC 9110 §9.2.2), so a
 * client retrying after a lost response must not see an error for what already happened, and
 * the first TokenRevoked already says who revoked it and when. An expired token is not revoked
 * either: it is refused already, and the event would only make every service store a row to purge.
 */
function revoke(command: RevokeToken, state: ApiTokenState): ApiTokenEvent[] {
  if (state.status === 'unknown') throw new ToolportError('not_found', 'TOKEN_NOT_FOUND', `Token ${command.tokenId} does not exist`);
  if (state.status === 'revoked') return [];
  if (Date.parse(state.expiresAt) <= command.now.getTime()) return [];
  return [
    {
      type: 'TokenRevoked',
      data: {
        tokenId: state.tokenId,
        expiresAt: state.expiresAt,
        ...(command.reason !== undefined ? { reason: command.reason } : {}),
      },
    },
  ];
}

function subjectProblems(command: IssueToken): ErrorItem[] {
  const subject = command.subject;
  if (subject.trim().length === 0) return [{ location: 'subject', message: 'must not be empty' }];
  if (subject.length > 256) return [{ location: 'subject', message: 'must be at most 256 characters' }];
  return [];
}

/**
 * Publish permissions and the publisher role go together (DESIGN.md: "publisher (per namespace
 * pattern)"): namespaces without the role, or the role without a namespace, grant nothing usable.
 */
function grantProblems(command: IssueToken): ErrorItem[] {
  const problems: ErrorItem[] = [];
  if (command.roles.length === 0) problems.push({ location: 'roles', message: 'must name at least one role' });
  command.roles.forEach((role, i) => {
    if (!isRole(role)) problems.push({ location: `roles[${i}]`, message: 'is not a known role', value: role });
    else if (command.roles.indexOf(role) !== i) problems.push({ location: `roles[${i}]`, message: 'is repeated', value: role });
  });
  command.permissions.forEach((permission, i) => {
    if (!isPermissionAction(permission.action)) {
      problems.push({ location: `permissions[${i}].action`, message: 'must be publish or edit', value: permission.action });
    }
    const problem = patternProblem(permission.resource);
    if (problem) problems.push({ location: `permissions[${i}].resource`, message: problem, value: permission.resource });
  });
  const publishes = command.permissions.some((p) => p.action === 'publish');
  const canHoldPublish = command.roles.includes('publisher') || command.roles.includes('admin');
  if (publishes && !canHoldPublish) {
    problems.push({ location: 'roles', message: "must include 'publisher' to publish to the given namespaces" });
  }
  if (command.roles.includes('publisher') && !publishes) {
    problems.push({ location: 'permissions', message: "must name at least one namespace for the 'publisher' role" });
  }
  return problems;
}

function lifetimeProblems(command: IssueToken, policy: ApiTokenPolicy): ErrorItem[] {
  const lifetimeMs = command.expiresAt.getTime() - command.now.getTime();
  if (Number.isNaN(lifetimeMs)) return [{ location: 'expiresAt', message: 'must be a valid date' }];
  if (lifetimeMs <= 0) return [{ location: 'expiresAt', message: 'must be in the future' }];
  if (lifetimeMs > policy.maxLifetimeSeconds * 1000) {
    return [{ location: 'expiresAt', message: `must be at most ${formatSeconds(policy.maxLifetimeSeconds)} after issue` }];
  }
  return [];
}

function formatSeconds(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400} days`;
  if (seconds % 3600 === 0) return `${seconds / 3600} hours`;
  return `${seconds} seconds`;
}

/** The API token aggregate, with the lifetime bound the service is configured with. */
export function apiTokenDecider(policy: ApiTokenPolicy = DEFAULT_POLICY): Decider<ApiTokenState, ApiTokenCommand, ApiTokenEvent> {
  return {
    initialState,
    // Decider types evolve's event as Pick<Event, 'type' | 'data'>, which is not distributive over
    // a union and so loses which data goes with which type; every event given to it is an
    // ApiTokenEvent (the store validated it against its type's schema on append).
    evolve: (state, event) => evolve(state, event as ApiTokenEvent),
    decide: (command, state) => decide(command, state, policy),
  };
}

/** The TokenIssued of either command: the same token fields, with how the holder authenticated. */
function tokenIssued(command: IssueToken | IssueExchangedToken, auth: { authMethod: string; authMethodSub?: string }): ApiTokenEvent {
  return {
    type: 'TokenIssued',
    data: {
      tokenId: command.tokenId,
      subject: command.subject,
      roles: [...command.roles],
      permissions: command.permissions.map((p) => ({ action: p.action, resource: p.resource })),
      expiresAt: command.expiresAt.toISOString(),
      ...auth,
    },
  };
}
