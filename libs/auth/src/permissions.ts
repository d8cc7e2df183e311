import type { Static } from '@sinclair/typebox';
import { type PermissionSchema, type RoleSchema } from '@toolport/contracts';

/** The roles of DESIGN.md "Identity and access"; `admin` may do everything. */
export const ROLES = ['admin', 'publisher', 'reviewer', 'reader', 'ops', 'auditor'] as const;
export type Role = Static<typeof RoleSchema>;

/** What a token may do to which server names, as in the official registry's JWT. */
export type Permission = Static<typeof PermissionSchema>;
export type PermissionAction = Permission['action'];
export const PERMISSION_ACTIONS: readonly PermissionAction[] = ['publish', 'edit'];

/** The part of a principal that access decisions read. */
export interface Grants {
  roles: readonly Role[];
  permissions: readonly Permission[];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isPermissionAction(value: unknown): value is PermissionAction {
  return typeof value === 'string' && (PERMISSION_ACTIONS as readonly string[]).includes(value);
}

/**
 * The official registry's resource match (`internal/auth`, see BEHAVIOUR.md "Token exchange and JWT"):
 * `*` matches every name, a trailing `*` is a prefix match, anything else must be equal.
 * A `*` elsewhere has no special meaning there either, so it only matches itself.
 */
export function matchesPattern(pattern: string, name: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return name.startsWith(pattern.slice(0, -1));
  return name === pattern;
}

/**
 * Why a pattern cannot be granted, or null when it can. Tokens only ever carry patterns we
 * issued, so a `*` in the middle (which would silently match only itself) is refused up front.
 */
export function patternProblem(pattern: string): string | null {
  if (pattern.length === 0) return 'must not be empty';
  if (pattern.length > 256) return 'must be at most 256 characters';
  if (/\s/.test(pattern)) return 'must not contain whitespace';
  if (pattern.slice(0, -1).includes('*')) return "may contain '*' only as its last character";
  return null;
}

export function hasRole(principal: Grants, role: Role): boolean {
  return principal.roles.includes('admin') || principal.roles.includes(role);
}

/** True when the principal has at least one of `roles` (admin always does). */
export function hasAnyRole(principal: Grants, roles: readonly Role[]): boolean {
  return roles.some((role) => hasRole(principal, role));
}

/** May `principal` do `action` on the server `serverName`? Admin may do everything. */
export function canPerform(principal: Grants, action: PermissionAction, serverName: string): boolean {
  if (principal.roles.includes('admin')) return true;
  return principal.permissions.some((p) => p.action === action && matchesPattern(p.resource, serverName));
}

/**
 * The patterns the principal may publish to, for a 403 that tells the caller where they can
 * publish (the official registry's 403 lists them the same way).
 */
export function publishablePatterns(principal: Grants): string[] {
  if (principal.roles.includes('admin')) return ['*'];
  const patterns = principal.permissions.filter((p) => p.action === 'publish').map((p) => p.resource);
  return [...new Set(patterns)];
}
