import semver from 'semver';

/**
 * The official registry's version ordering (internal/service/versioning.go, CompareVersions, as
 * described in ../shared/reference/official-registry/BEHAVIOUR.md "Latest"):
 * - semver validity as golang.org/x/mod/semver: exactly three numeric parts, `v` prefix tolerated,
 *   prerelease and build allowed (build ignored when comparing);
 * - both semver: semver order; neither: the later publish wins; only one: the semver one wins.
 */
export interface OrderedVersion {
  version: string;
  publishedAt: string;
}

export function semverOf(version: string): semver.SemVer | null {
  return semver.parse(version.startsWith('v') ? version.slice(1) : version);
}

/** < 0 when a sorts before b, > 0 after, 0 when equal. */
export function compareVersions(a: OrderedVersion, b: OrderedVersion): number {
  const sa = semverOf(a.version);
  const sb = semverOf(b.version);
  if (sa && sb) return semver.compare(sa, sb);
  if (!sa && !sb) return Date.parse(a.publishedAt) - Date.parse(b.publishedAt);
  return sa ? 1 : -1;
}

/** The highest of `versions` by compareVersions; null for none. */
export function highestVersion<T extends OrderedVersion>(versions: readonly T[]): T | null {
  return versions.reduce<T | null>((best, v) => (best === null || compareVersions(v, best) > 0 ? v : best), null);
}
