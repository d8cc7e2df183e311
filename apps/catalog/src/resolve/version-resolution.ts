import type { CompatibilityReport, ToolChange } from '@toolport/contracts';
import { ToolportError } from '@toolport/contracts';
import semver from 'semver';

/** What resolution needs to know of each version of one server. */
export interface ResolvableVersion {
  version: string;
  status: 'active' | 'deprecated' | 'deleted';
  approved: boolean;
  publishedAt: string;
  /** As recorded at publish: this version against the highest earlier semver version. */
  compatibility: CompatibilityReport | null;
}

export interface Resolution {
  version: string;
  deprecated: boolean;
  /** Why this one: the range, and what was passed over. */
  notes: string[];
  /** When `from` was given: every tool change introduced after it, up to the resolved version. */
  changesSinceFrom: Array<ToolChange & { introducedIn: string }> | null;
  breakingSinceFrom: boolean | null;
}

const clean = (version: string) => semver.valid(version.startsWith('v') ? version.slice(1) : version);

/**
 * npm-style range resolution over the versions an agent may install: the highest APPROVED,
 * non-deleted version satisfying the range (prereleases only when the range names one, as npm
 * does); a deprecated version only when no active one satisfies. Nothing found is a 404 that says
 * why, so an agent can tell "wrong range" from "not approved yet".
 */
export function resolveVersion(versions: readonly ResolvableVersion[], range: string, from?: string): Resolution {
  const parsedRange = semver.validRange(range);
  if (parsedRange === null) {
    throw new ToolportError('invalid', 'INVALID_RANGE', `"${range}" is not an npm-style semver range (examples: ^1.2.0, ~1.2, 1.x, >=1.0.0 <2.0.0, 1.2.3)`, [
      { message: 'not a semver range', location: 'query.range', value: range },
    ]);
  }
  if (from !== undefined && clean(from) === null) {
    throw new ToolportError('invalid', 'INVALID_FROM_VERSION', `from=${from} is not a semver version`, [{ message: 'not a semver version', location: 'query.from', value: from }]);
  }
  const satisfying = versions.filter((v) => clean(v.version) !== null && semver.satisfies(clean(v.version)!, parsedRange));
  const eligible = satisfying.filter((v) => v.status !== 'deleted' && v.approved);
  const active = eligible.filter((v) => v.status === 'active');
  const pool = active.length > 0 ? active : eligible;
  const best = pool.reduce<ResolvableVersion | null>((top, v) => (top === null || semver.gt(clean(v.version)!, clean(top.version)!) ? v : top), null);
  if (!best) throw new ToolportError('not_found', 'NO_MATCHING_VERSION', explainNoMatch(versions, satisfying, range));

  const notes = [`highest approved version satisfying ${range}`];
  const passedOver = satisfying.filter((v) => semver.gt(clean(v.version)!, clean(best.version)!));
  for (const v of passedOver) notes.push(`${v.version} also satisfies it but is ${v.status === 'deleted' ? 'deleted' : !v.approved ? 'not approved' : v.status}`);
  if (best.status === 'deprecated') notes.push(`${best.version} is deprecated: no active approved version satisfies ${range}`);

  if (from === undefined) return { version: best.version, deprecated: best.status === 'deprecated', notes, changesSinceFrom: null, breakingSinceFrom: null };
  const fromVersion = clean(from)!;
  const between = versions
    .filter((v) => clean(v.version) !== null && semver.gt(clean(v.version)!, fromVersion) && semver.lte(clean(v.version)!, clean(best.version)!))
    .sort((a, b) => semver.compare(clean(a.version)!, clean(b.version)!));
  const changes = between.flatMap((v) => (v.compatibility?.changes ?? []).map((c) => ({ ...c, introducedIn: v.version })));
  return {
    version: best.version,
    deprecated: best.status === 'deprecated',
    notes,
    changesSinceFrom: changes,
    breakingSinceFrom: changes.some((c) => c.impact === 'breaking'),
  };
}

function explainNoMatch(all: readonly ResolvableVersion[], satisfying: readonly ResolvableVersion[], range: string): string {
  if (all.length === 0) return 'Server not found';
  if (satisfying.length === 0) {
    const semverVersions = all.map((v) => clean(v.version)).filter((v): v is string => v !== null);
    const highest = semverVersions.sort(semver.rcompare)[0];
    return `No version satisfies ${range}${highest ? `; the highest published semver version is ${highest}` : '; no published version is semver'}${
      range.includes('-') ? '' : ' (prereleases are only considered when the range names one)'
    }`;
  }
  const reasons = satisfying.map((v) => `${v.version} is ${v.status === 'deleted' ? 'deleted' : 'not approved'}`);
  return `No approved, non-deleted version satisfies ${range}: ${reasons.join(', ')}`;
}
