import type { Finding, Severity } from '../../analyzers/finding';
import type { PackageContents } from '../../artifacts/package-contents';
import { DEPENDENCY_RULES_VERSION, packageFinding, type PackageRule } from '../package-finding';
import { type AdvisoryDatabase, advisoryKey } from './advisory-database';
import { type Dependency, dependencyInventory } from './dependency-inventory';
import { advisorySeverity, matchAdvisory, type RangeMatch } from './osv-match';

const rule = (id: string, severity: Severity, description: string): PackageRule => ({ id, severity, description, version: DEPENDENCY_RULES_VERSION });

export const MALICIOUS_DEPENDENCY = rule('TP-DEP-001', 'critical', 'A dependency with a known-malicious OSV record (MAL-…)');
export const VULNERABLE_DEPENDENCY = rule('TP-DEP-002', 'high', 'A dependency version affected by a known vulnerability (severity from the advisory)');
export const NON_REGISTRY_DEPENDENCY = rule('TP-DEP-003', 'medium', 'A dependency from git, a URL or a local path: it bypasses registries and advisories');
export const DEPENDENCY_RULES: readonly PackageRule[] = [MALICIOUS_DEPENDENCY, VULNERABLE_DEPENDENCY, NON_REGISTRY_DEPENDENCY];

const NON_REGISTRY = /^(?:git(?:\+[a-z]+)?:|github:|gitlab:|bitbucket:|https?:|file:|link:|[\w.-]+\/[\w.-]+(?:#.*)?$)/i;

const describe = (dep: Dependency): string => (dep.exact !== undefined ? `${dep.name}@${dep.exact}` : `${dep.name}@${dep.range}`);

/**
 * Dependencies against the offline OSV database. Range policy (see osv-match matchAdvisory):
 * a MAL- record is critical whenever any allowed version is malicious; a vulnerability takes the
 * advisory's severity for an exact version or an affected floor that cannot reach a fix, and is
 * low when the range lets a fresh install pick a fixed version or only reaches affected versions
 * above its floor.
 */
export function analyzeDependencies(contents: PackageContents, advisories: AdvisoryDatabase): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const dep of dependencyInventory(contents)) {
    if (dep.range !== undefined && NON_REGISTRY.test(dep.range.trim())) {
      findings.push(
        packageFinding(NON_REGISTRY_DEPENDENCY, {
          location: dep.location,
          rawEvidence: `${dep.name}: ${dep.range}`,
          message: `${dep.name} comes from ${dep.range.split(':')[0]} rather than a registry: advisories cannot match it and its content can change under the same spec.`,
          confidence: 'high',
        }),
      );
      continue;
    }
    for (const advisory of advisories.byPackage.get(advisoryKey(dep.ecosystem, dep.name)) ?? []) {
      const match = matchAdvisory(dep.ecosystem, dep.name, advisory, dep);
      if (!match) continue;
      const key = `${advisory.id}|${dep.name}|${dep.exact ?? dep.range}`;
      if (seen.has(key)) continue;
      seen.add(key);
      findings.push(finding(dep, advisory.id, advisory.summary ?? advisory.details?.slice(0, 160) ?? '', advisorySeverity(advisory), match));
    }
  }
  return findings;
}

function finding(dep: Dependency, id: string, summary: string, severity: Severity, match: RangeMatch): Finding {
  const malicious = id.startsWith('MAL-');
  const how: Record<RangeMatch, string> = {
    exact: `${dep.source === 'vendored' ? 'the bundled copy' : dep.source === 'lock' ? 'the locked version' : 'the pinned version'} is affected`,
    floor: 'the lowest version the range allows is affected and the range admits no fixed version',
    'floor-fix-allowed': 'the lowest version the range allows is affected; a fresh install can resolve to a fixed version',
    some: 'the range admits affected versions above its lowest one',
  };
  return packageFinding(malicious ? MALICIOUS_DEPENDENCY : VULNERABLE_DEPENDENCY, {
    location: dep.location,
    rawEvidence: `${describe(dep)} — ${id}${summary ? `: ${summary}` : ''}`,
    message: malicious
      ? `${dep.name} is a known-malicious package (${id}); ${how[match]}.`
      : `${describe(dep)} matches ${id}${summary ? ` (${summary.slice(0, 120)})` : ''}: ${how[match]}.`,
    severity: malicious ? 'critical' : match === 'floor-fix-allowed' || match === 'some' ? 'low' : severity,
    confidence: match === 'exact' ? 'high' : match === 'some' ? 'low' : 'medium',
  });
}
