import type { Principal } from '@toolport/auth';
import type { SearchFilters } from '../search/search-index';

/**
 * Who sees which versions (DESIGN.md "Identity and access": agents see only approved,
 * non-deleted versions unless their role allows more). An allow-list: a version is shown only
 * when the rule says so. Every list and every search of the catalog asks `visibilityFor`.
 */
export const CATALOG_VISIBILITY_MODES = ['approved', 'all'] as const;
export type CatalogVisibilityMode = (typeof CATALOG_VISIBILITY_MODES)[number];

export type VersionStatus = 'active' | 'deprecated' | 'deleted';
export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'revoked';

/** Roles that see every version whatever the mode (admin holds every role in Toolport). */
export const PRIVILEGED_ROLES = ['reviewer', 'admin'] as const;

export interface Visibility {
  /** Only versions whose approval is `approved`. */
  approvedOnly: boolean;
  /** The statuses shown; `deleted` only when the caller asked for it. */
  statuses: readonly VersionStatus[];
  /** A reviewer or admin: sees every version and who decided on it. */
  privileged: boolean;
}

export interface VisibilityRequest {
  /** `include_deleted` (forced true by `updated_since` in the official list). */
  includeDeleted: boolean;
}

const LIVE: readonly VersionStatus[] = ['active', 'deprecated'];
const EVERY: readonly VersionStatus[] = ['active', 'deprecated', 'deleted'];

export function isPrivileged(principal: Pick<Principal, 'roles'> | null): boolean {
  return principal !== null && principal.roles.some((role) => (PRIVILEGED_ROLES as readonly string[]).includes(role));
}

/**
 * The rule for one caller. `mode` is TOOLPORT_CATALOG_VISIBILITY: `approved` (default) hides
 * unapproved versions from everyone but reviewers and admins; `all` shows them to everyone (a
 * registry without review, or development).
 */
export function visibilityFor(principal: Pick<Principal, 'roles'> | null, mode: CatalogVisibilityMode, request: VisibilityRequest): Visibility {
  const privileged = isPrivileged(principal);
  return {
    approvedOnly: mode === 'approved' && !privileged,
    statuses: request.includeDeleted ? EVERY : LIVE,
    privileged,
  };
}

/** The same rule for one version already in memory (search hits, MCP answers). */
export function isVisible(visibility: Visibility, version: { status: VersionStatus; approval: ApprovalStatus }): boolean {
  return visibility.statuses.includes(version.status) && (!visibility.approvedOnly || version.approval === 'approved');
}

/** The rule as search filters, for the SearchIndex port. */
export function visibilitySearchFilters(visibility: Visibility): Pick<SearchFilters, 'approved' | 'statuses'> {
  return { statuses: visibility.statuses, ...(visibility.approvedOnly ? { approved: true } : {}) };
}

/** Nest injection token of the catalog's VisibilityOptions (TOOLPORT_CATALOG_VISIBILITY), provided by VisibilityModule. */
export const CATALOG_VISIBILITY = Symbol.for('toolport.catalog.Visibility');
