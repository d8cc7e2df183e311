import { semanticError, type ValidationReportIssue } from './validation-report';

/*
 * A server or package version must name one release: `latest` is reserved (the API uses it to
 * mean "the latest version"), and ranges are refused. Semver itself is not enforced (BEHAVIOUR.md
 * §3). The range patterns are the official ones (`internal/validators/validators.go` upstream).
 */
const NUMBER = String.raw`v?\d+(?:\.\d+){0,3}(?:-[0-9A-Za-z.-]+)?`;
/** `^1.2.3`, `~1.2.3`, `>=1.0.0`, `<=1.0.0`, `>1.0.0`, `<1.0.0`, `=1.0.0`. */
const COMPARATOR_RANGE = new RegExp(String.raw`^\s*(?:\^|~|>=|<=|>|<|=)\s*${NUMBER}\s*$`);
/** `1.2.3 - 2.0.0`. */
const HYPHEN_RANGE = new RegExp(String.raw`^\s*${NUMBER}\s-\s*${NUMBER}\s*$`);
/** `1.2 || 1.3`. */
const OR_RANGE = new RegExp(String.raw`^\s*(?:${NUMBER}\s*)(?:\|\|\s*${NUMBER}\s*)+$`);
/** `1.x`, `1.2.*`, `1.2.X`: the dotted core, then an optional pre-release. */
const DOTTED = /^\s*((?:v?\d+|x|X|\*)(?:\.(?:\d+|x|X|\*)){1,2})(?:-[0-9A-Za-z.-]+)?\s*$/;

export function looksLikeVersionRange(version: string): boolean {
  const trimmed = version.trim();
  if (trimmed === '') return false;
  if (COMPARATOR_RANGE.test(trimmed) || HYPHEN_RANGE.test(trimmed) || OR_RANGE.test(trimmed)) return true;
  // Upstream looks for x, X or * anywhere in the string, so `1.2.3-linux-x64` counts as a range
  // there; only a wildcard in the dotted core makes one.
  const dotted = DOTTED.exec(trimmed);
  return dotted !== null && /[xX*]/.test(dotted[1] as string);
}

export function versionIssues(path: string, version: string): ValidationReportIssue[] {
  // The schema sets no minimum length for the server version (it does for package versions), but
  // a version is addressed as `/versions/{version}`: an empty or blank one names nothing (found by
  // the publish fuzz test).
  if (version.trim() === '') {
    return [semanticError(path, 'version-empty', 'version must not be empty or blank')];
  }
  if (version === 'latest') {
    return [semanticError(path, 'reserved-version-string', "version string 'latest' is reserved and cannot be used")];
  }
  if (looksLikeVersionRange(version)) {
    return [semanticError(path, 'version-looks-like-range', `version must be a specific version, not a range: ${JSON.stringify(version)}`)];
  }
  return [];
}
