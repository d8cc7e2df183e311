import type { Finding, RuleInfo, Severity, Confidence } from '../analyzers/finding';
import { evidenceOf } from '../analyzers/visible-evidence';

/**
 * Version of the artifact rule set (TP-ART-*), separate from the tool-description rules: bump it
 * when a rule's detection, severity or a default limit changes, so every version is rescanned.
 */
export const ARTIFACT_RULES_VERSION = 'artifacts-1.1.0';

export const INTEGRITY_MISMATCH: RuleInfo = {
  id: 'TP-ART-001',
  severity: 'critical',
  description: 'The downloaded bytes do not hash to the digest the registry or server.json published (npm dist.integrity/shasum, PyPI sha256, mcpb fileSha256).',
};
export const UNSAFE_ARCHIVE: RuleInfo = {
  id: 'TP-ART-002',
  severity: 'critical',
  description:
    'The archive is unsafe to unpack: absolute path, `..` segment, drive letter, link leaving the package, hard link, device or FIFO, setuid/setgid bit, duplicate or case-colliding name, zip headers that disagree, or a limit exceeded (inflated bytes, entries, entry size, compression ratio).',
};
export const UNREADABLE_ARCHIVE: RuleInfo = {
  id: 'TP-ART-003',
  severity: 'critical',
  description: 'The archive cannot be parsed (corrupt gzip, tar or zip, encrypted or unsupported compression): nothing in it was scanned, and installers that read it differently may install what the scanner could not see.',
};
export const NO_PUBLISHED_DIGEST: RuleInfo = {
  id: 'TP-ART-004',
  severity: 'medium',
  description: 'No digest was published for the artifact (mcpb without fileSha256, PyPI file without sha256, npm version without integrity or shasum): the scanned bytes cannot be tied to what users install.',
};
export const WEAK_DIGEST: RuleInfo = {
  id: 'TP-ART-005',
  severity: 'low',
  description: 'The only published digest is SHA-1 (npm `dist.shasum`): it was checked, but SHA-1 collisions are practical, so the integrity does not count as verified.',
};
export const CONTENT_NOT_SCANNED: RuleInfo = {
  id: 'TP-ART-006',
  severity: 'low',
  description: 'The package content was not scanned: OCI images (and registry types the scanner cannot fetch) are recorded, not downloaded.',
};
export const ARTIFACT_TOO_LARGE: RuleInfo = {
  id: 'TP-ART-007',
  severity: 'high',
  description: 'The artifact is larger than the configured download limit, so it was not scanned.',
};
export const TEXT_BUDGET_EXHAUSTED: RuleInfo = {
  id: 'TP-ART-008',
  severity: 'medium',
  description: 'The package holds more text than the scanner keeps for analysis (total text cap): the files past the cap are listed but their contents were not analysed.',
};

export const ARTIFACT_URL_REFUSED: RuleInfo = {
  id: 'TP-ART-009',
  severity: 'critical',
  description:
    'A URL the version publishes (registryBaseUrl, npm dist.tarball, PyPI file URL, mcpb identifier) or a redirect from one points at an address the scanner refuses (loopback, private, link-local, cloud metadata, or an IPv6 form of one): the artifact was not fetched or scanned. Either an attempt to reach internal services through the scanner (SSRF), or an internal registry missing from TOOLPORT_SCANNER_ALLOW_CIDRS.',
};

export const ARTIFACT_RULES: RuleInfo[] = [
  INTEGRITY_MISMATCH,
  UNSAFE_ARCHIVE,
  UNREADABLE_ARCHIVE,
  NO_PUBLISHED_DIGEST,
  WEAK_DIGEST,
  CONTENT_NOT_SCANNED,
  ARTIFACT_TOO_LARGE,
  TEXT_BUDGET_EXHAUSTED,
  ARTIFACT_URL_REFUSED,
];

/** A finding of an artifact rule; evidence goes through the same visible/truncated rendering as the tool rules. */
export function artifactFinding(
  rule: RuleInfo,
  fields: { location: string; evidence: string; message: string; severity?: Severity; confidence?: Confidence },
): Finding {
  return {
    ruleId: rule.id,
    ruleVersion: ARTIFACT_RULES_VERSION,
    severity: fields.severity ?? rule.severity,
    confidence: fields.confidence ?? 'high',
    location: fields.location,
    evidence: evidenceOf(fields.evidence),
    message: fields.message,
  };
}
