import { matchesPattern } from '@toolport/auth';
import { type CompatibilityReport, type ErrorItem, type McpTool, ToolportError } from '@toolport/contracts';
import * as semver from 'semver';
import { byCodeUnit } from './json-schema';
import { diffTools } from './tool-diff';

export type SemverPolicy = CompatibilityReport['policy'];
export type Bump = CompatibilityReport['bump'];

export interface NamespacePolicy {
  /** A pattern as in permissions: `*`, `com.acme/*`, or an exact server name. */
  namespace: string;
  semverPolicy: SemverPolicy;
}

/** The policy of a server no admin set one for: report breaking changes, refuse nothing. */
export const DEFAULT_SEMVER_POLICY: SemverPolicy = 'warn';

/**
 * Whether a version string is semver as the registry understands it. The official registry
 * tolerates a leading `v` (BEHAVIOUR.md "Latest", golang.org/x/mod/semver); `semver.valid`
 * accepts it too and also rejects ranges and partial versions (`1.2`).
 */
const isSemver = (version: string): boolean => semver.valid(version) !== null;

/**
 * The semver step from `base` to `next`. A step into a prerelease of a higher version counts as
 * that step (`1.0.0` -> `2.0.0-beta.1` is `major`); between prereleases of one version it is
 * `prerelease`; `none` when either is not semver or `next` is not higher.
 */
export function bumpBetween(base: string, next: string): Bump {
  if (!isSemver(base) || !isSemver(next) || !semver.gt(next, base)) return 'none';
  const diff = semver.diff(base, next);
  switch (diff) {
    case 'major':
    case 'premajor':
      return 'major';
    case 'minor':
    case 'preminor':
      return 'minor';
    case 'patch':
    case 'prepatch':
      return 'patch';
    case 'prerelease':
      return 'prerelease';
    default:
      return 'none';
  }
}

/**
 * The version a new version's tools are compared with: the highest semver version lower than
 * `version` among `publishedVersions` (the caller passes the non-deleted ones). Prereleases
 * count, as they are published versions too. Versions that differ only in build metadata are
 * not lower (semver §10: build metadata does not affect precedence). Null when `version` is not
 * semver or no published version is lower.
 */
export function findBaseVersion(publishedVersions: readonly string[], version: string): string | null {
  if (!isSemver(version)) return null;
  const lower = publishedVersions.filter((v) => isSemver(v) && semver.lt(v, version));
  // compareBuild orders equal-precedence versions by build metadata too, so the choice is stable.
  lower.sort((a, b) => semver.compareBuild(b, a) || byCodeUnit(a, b));
  return lower[0] ?? null;
}

export interface CompatibilityInput {
  baseVersion: string | null;
  /** The base version's tools; ignored when there is no base. */
  baseTools: readonly McpTool[];
  version: string;
  tools: readonly McpTool[];
  policy: SemverPolicy;
}

/**
 * The report recorded with a published version. With policy `off` the changes are still computed
 * and recorded: `off` only switches the gate and the warnings off, and reviewers, the catalog and
 * agents still want to know what changed. A first version (no base) has no changes: listing every
 * tool as "added" would say nothing.
 */
export function compatibilityReport(input: CompatibilityInput): CompatibilityReport {
  const changes = input.baseVersion === null ? [] : diffTools(input.baseTools, input.tools);
  return {
    baseVersion: input.baseVersion,
    bump: input.baseVersion === null ? 'none' : bumpBetween(input.baseVersion, input.version),
    changes,
    breaking: changes.some((c) => c.impact === 'breaking'),
    policy: input.policy,
  };
}

/**
 * The policy for `serverName`: an exact name beats any pattern, a longer prefix beats a shorter
 * one (`com.acme/internal-*` over `com.acme/*` over `*`), and `warn` applies when none matches.
 */
export function policyFor(policies: readonly NamespacePolicy[], serverName: string): SemverPolicy {
  let best: { specificity: number; policy: SemverPolicy } | null = null;
  for (const { namespace, semverPolicy } of policies) {
    if (!matchesPattern(namespace, serverName)) continue;
    // An exact name outranks every prefix, however long (a prefix is at most the name's length).
    const specificity = namespace.endsWith('*') ? namespace.length - 1 : Number.MAX_SAFE_INTEGER;
    if (best === null || specificity > best.specificity) best = { specificity, policy: semverPolicy };
  }
  return best?.policy ?? DEFAULT_SEMVER_POLICY;
}

/** The range of versions a caret dependency on `version` accepts starts at this line: `2`, `0.3`, `0.0.4`. */
function caretLine(version: semver.SemVer): string {
  if (version.major > 0) return `${version.major}`;
  if (version.minor > 0) return `0.${version.minor}`;
  return `0.0.${version.patch}`;
}

const isLineStart = (version: semver.SemVer): boolean =>
  version.major > 0 ? version.minor === 0 && version.patch === 0 : version.minor > 0 ? version.patch === 0 : true;

/**
 * May `version` break callers of `base`? Yes when it starts another caret line - what `^base`
 * excludes: a major bump, and in 0.x a minor bump (`^0.2.3` is `<0.3.0`) or in 0.0.x a patch
 * bump (`^0.0.3` is `<0.0.4`), as npm's caret does. Also when `base` is a prerelease of a line's
 * first version (`2.0.0-rc.1` -> `2.0.0` or `-rc.2`): no release of that line exists below it, so
 * no caret consumer of a release can be broken. A prerelease of any other version gets no such
 * leave: `1.0.0` -> `1.1.0-beta.1` -> `1.1.0-beta.2` (breaking) -> `1.1.0` would otherwise carry
 * a break into a minor release.
 */
export function allowsBreakingChange(base: string, version: string): boolean {
  const from = semver.parse(base);
  const to = semver.parse(version);
  if (from === null || to === null || !semver.gt(to, from)) return false;
  if (caretLine(from) !== caretLine(to)) return true;
  return from.prerelease.length > 0 && isLineStart(from);
}

/** The first version that may carry a breaking change after `base`, for the error message. */
function nextLineStart(base: string): string | null {
  const from = semver.parse(base);
  if (from === null) return null;
  if (from.major > 0) return `${from.major + 1}.0.0`;
  if (from.minor > 0) return `0.${from.minor + 1}.0`;
  return `0.0.${from.patch + 1}`;
}

/**
 * Applies the report's policy to version `version`. A breaking change needs a version that may
 * break (see allowsBreakingChange); a version with a breaking change and no such bump is refused
 * under `enforce` (422 BREAKING_CHANGE_WITHOUT_MAJOR, one error per breaking change at
 * `tools.<tool>.<path>`), and its problems are returned under `warn` for the caller to pass on.
 * `off` returns nothing. A non-semver pair is never a major change, so under `enforce` it cannot
 * carry a breaking change (it has none: without a semver base there is nothing to compare).
 */
export function checkPolicy(report: CompatibilityReport, version: string): ErrorItem[] {
  if (report.policy === 'off' || !report.breaking || report.baseVersion === null) return [];
  if (allowsBreakingChange(report.baseVersion, version)) return [];
  const problems: ErrorItem[] = report.changes
    .filter((c) => c.impact === 'breaking')
    .map((c) => ({ location: `tools.${c.tool}${c.path !== undefined ? `.${c.path}` : ''}`, message: c.detail, value: c.kind }));
  if (report.policy === 'warn') return problems;
  const suggestion = nextLineStart(report.baseVersion);
  throw new ToolportError(
    'unprocessable',
    'BREAKING_CHANGE_WITHOUT_MAJOR',
    `Version ${version} has ${problems.length} breaking tool change${problems.length === 1 ? '' : 's'} against ${report.baseVersion} ` +
      `but is not a major version change${suggestion ? `: publish it as ${suggestion} or later` : ''}, or keep the tools compatible ` +
      '(this namespace enforces semantic versioning for tools)',
    problems,
  );
}
