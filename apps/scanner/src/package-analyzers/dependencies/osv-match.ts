import * as semver from 'semver';
import type { Severity } from '../../analyzers/finding';
import { type DependencyEcosystem, normalizePackageName, type OsvAdvisory, type OsvAffected } from './advisory-database';

/** PEP 440 ordering, enough for OSV ranges: release numbers, then dev < a < b < rc < final < post. */
export function comparePep440(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v?(?:\d+!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:[-_.]?(?:post|rev|r)[-_.]?(\d*))?(?:[-_.]?dev[-_.]?(\d*))?/i.exec(v.trim());
    if (!m) return undefined;
    const pre = m[2] ? { a: 1, alpha: 1, b: 2, beta: 2, c: 3, rc: 3, pre: 3, preview: 3 }[m[2].toLowerCase()]! : 4;
    return { release: m[1].split('.').map(Number), pre, preN: Number(m[3] || 0), post: m[4] !== undefined ? Number(m[4] || 0) : -1, dev: m[5] !== undefined ? Number(m[5] || 0) : Infinity };
  };
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return a < b ? -1 : a > b ? 1 : 0;
  for (let i = 0; i < Math.max(x.release.length, y.release.length); i++) {
    const d = (x.release[i] ?? 0) - (y.release[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  // A dev release without a pre/post tag comes before every pre-release of the same version.
  const xs = [x.dev !== Infinity && x.pre === 4 && x.post < 0 ? 0 : x.pre, x.preN, x.post, x.dev];
  const ys = [y.dev !== Infinity && y.pre === 4 && y.post < 0 ? 0 : y.pre, y.preN, y.post, y.dev];
  for (let i = 0; i < xs.length; i++) if (xs[i] !== ys[i]) return xs[i] < ys[i] ? -1 : 1;
  return 0;
}

function comparator(ecosystem: DependencyEcosystem): (a: string, b: string) => number | undefined {
  if (ecosystem === 'PyPI') return comparePep440;
  return (a, b) => {
    const x = semver.valid(a, { loose: true }) ?? semver.valid(semver.coerce(a) ?? '');
    const y = semver.valid(b, { loose: true }) ?? semver.valid(semver.coerce(b) ?? '');
    return x && y ? semver.compare(x, y, { loose: true }) : undefined;
  };
}

/**
 * OSV's evaluation of one `affected` entry for an exact version: listed in `versions`, or inside
 * a SEMVER/ECOSYSTEM range whose events (sorted by version) switch it on with `introduced` and
 * off with `fixed` / after `last_affected`. GIT ranges are commits and are ignored.
 */
export function isAffected(ecosystem: DependencyEcosystem, affected: OsvAffected, version: string): boolean {
  if (affected.versions?.includes(version)) return true;
  const cmp = comparator(ecosystem);
  for (const range of affected.ranges ?? []) {
    if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') continue;
    const at = (e: (typeof range.events)[number]) => e.introduced ?? e.fixed ?? e.last_affected ?? e.limit ?? '0';
    const events = [...range.events].sort((a, b) => (at(a) === '0' ? -1 : at(b) === '0' ? 1 : (cmp(at(a), at(b)) ?? 0)));
    let hit = false;
    for (const e of events) {
      if (e.introduced !== undefined && (e.introduced === '0' || (cmp(version, e.introduced) ?? -1) >= 0)) hit = true;
      else if (e.fixed !== undefined && (cmp(version, e.fixed) ?? -1) >= 0) hit = false;
      else if (e.last_affected !== undefined && (cmp(version, e.last_affected) ?? -1) > 0) hit = false;
      else if (e.limit !== undefined && e.limit !== '*' && (cmp(version, e.limit) ?? -1) >= 0) hit = false;
    }
    if (hit) return true;
  }
  return false;
}

const entriesFor = (advisory: OsvAdvisory, ecosystem: DependencyEcosystem, name: string): OsvAffected[] =>
  (advisory.affected ?? []).filter(
    (a) => a.package?.name && a.package.ecosystem?.split(':')[0].toLowerCase() === ecosystem.toLowerCase() && normalizePackageName(ecosystem, a.package.name) === normalizePackageName(ecosystem, name),
  );

export type RangeMatch = 'exact' | 'floor' | 'floor-fix-allowed' | 'some';

/**
 * How a dependency meets an advisory. An exact version (lock file, vendored copy, `==` pin) is
 * affected or not. A declared npm range is judged by its minimum version (`semver.minVersion`),
 * the version an old lock or `--prefer-oldest` may install: `floor` when it is affected and the
 * range cannot reach a fixed version, `floor-fix-allowed` when a fresh install can resolve to a
 * fixed one, `some` when only versions above the floor that the advisory names fall in the range.
 */
export function matchAdvisory(ecosystem: DependencyEcosystem, name: string, advisory: OsvAdvisory, dep: { exact?: string; range?: string }): RangeMatch | undefined {
  const entries = entriesFor(advisory, ecosystem, name);
  if (entries.length === 0) return undefined;
  if (dep.exact !== undefined) return entries.some((e) => isAffected(ecosystem, e, dep.exact!)) ? 'exact' : undefined;
  if (ecosystem !== 'npm' || dep.range === undefined) return undefined;
  const range = semver.validRange(dep.range, { loose: true });
  if (!range) return undefined;
  const floor = semver.minVersion(range, { loose: true })?.version;
  const eventVersions = entries.flatMap((e) => [...(e.versions ?? []), ...(e.ranges ?? []).flatMap((r) => r.events.map((ev) => ev.introduced ?? ev.last_affected).filter((v): v is string => !!v && v !== '0'))]);
  const fixes = entries.flatMap((e) => (e.ranges ?? []).flatMap((r) => r.events.map((ev) => ev.fixed).filter((v): v is string => !!v)));
  if (floor && entries.some((e) => isAffected(ecosystem, e, floor))) {
    return fixes.some((f) => semver.valid(f) && semver.satisfies(f, range, { loose: true })) ? 'floor-fix-allowed' : 'floor';
  }
  const inRange = eventVersions.filter((v) => semver.valid(v) && semver.satisfies(v, range, { loose: true }));
  return inRange.some((v) => entries.some((e) => isAffected(ecosystem, e, v))) ? 'some' : undefined;
}

/** The advisory's severity: GHSA's `database_specific.severity`, else a CVSS v3 base score, else medium. */
export function advisorySeverity(advisory: OsvAdvisory): Severity {
  if (advisory.id.startsWith('MAL-')) return 'critical';
  const label = [advisory.database_specific?.severity, ...(advisory.affected ?? []).map((a) => a.database_specific?.severity)].find((s) => typeof s === 'string') as string | undefined;
  if (label) {
    const l = label.toUpperCase();
    if (l === 'CRITICAL') return 'critical';
    if (l === 'HIGH') return 'high';
    if (l === 'MODERATE' || l === 'MEDIUM') return 'medium';
    if (l === 'LOW') return 'low';
  }
  for (const s of advisory.severity ?? []) {
    const score = /^\d+(?:\.\d+)?$/.test(s.score) ? Number(s.score) : cvss3BaseScore(s.score);
    if (score !== undefined) return score >= 9 ? 'critical' : score >= 7 ? 'high' : score >= 4 ? 'medium' : score > 0 ? 'low' : 'info';
  }
  return 'medium';
}

/** CVSS 3.x base score from a vector (`CVSS:3.1/AV:N/AC:L/...`), per the FIRST specification. */
export function cvss3BaseScore(vector: string): number | undefined {
  const m = Object.fromEntries(vector.split('/').slice(1).map((p) => p.split(':') as [string, string]));
  const W: Record<string, Record<string, number>> = {
    AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
    AC: { L: 0.77, H: 0.44 },
    UI: { N: 0.85, R: 0.62 },
    C: { H: 0.56, L: 0.22, N: 0 },
    I: { H: 0.56, L: 0.22, N: 0 },
    A: { H: 0.56, L: 0.22, N: 0 },
  };
  if (!/^CVSS:3\.[01]$/.test(vector.split('/')[0]) || !['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'].every((k) => m[k])) return undefined;
  const changed = m.S === 'C';
  const pr = { N: 0.85, L: changed ? 0.68 : 0.62, H: changed ? 0.5 : 0.27 }[m.PR as 'N' | 'L' | 'H'];
  const values = [W.AV[m.AV], W.AC[m.AC], pr, W.UI[m.UI], W.C[m.C], W.I[m.I], W.A[m.A]];
  if (values.some((v) => v === undefined)) return undefined;
  const [av, ac, p, ui, c, i, a] = values as number[];
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  const exploitability = 8.22 * av * ac * p * ui;
  if (impact <= 0) return 0;
  const roundUp = (x: number) => Math.ceil(x * 10 - 1e-9) / 10;
  return roundUp(Math.min(changed ? 1.08 * (impact + exploitability) : impact + exploitability, 10));
}
