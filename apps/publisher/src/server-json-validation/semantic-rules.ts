import { metaIssues } from './meta-rules';
import { packageIssues } from './package-rules';
import type { ServerJsonRuleOptions } from './remote-url-policy';
import { remoteIssues } from './transport-rules';
import { schemeOf } from './url-rules';
import { field, index, isObject, type JsonObject, objectsAt, semanticError, stringAt, type ValidationReportIssue } from './validation-report';
import { versionIssues } from './version-rules';

/*
 * The official registry's semantic checks (BEHAVIOUR.md §2-3; upstream
 * `internal/validators/validators.go`), the rules its JSON Schema cannot express, with the same
 * paths, messages and references. Constraints the schema already states (description 1-100 chars,
 * title at most 100, icon src at most 255, name 3-200, fileSha256 pattern...) are left to the
 * schema validator, so one fault yields one issue. Each rule reads only fields of the right type:
 * a document that breaks the schema still gets its other faults reported.
 */

/** Namespace and name part: start and end alphanumeric, dots and hyphens (and `_` in the name) inside. */
const NAMESPACE = /^[a-zA-Z0-9][a-zA-Z0-9.-]*[a-zA-Z0-9]$/;
const NAME_PART = /^[a-zA-Z0-9][a-zA-Z0-9._-]*[a-zA-Z0-9]$/;
const GITHUB_REPOSITORY = /^https?:\/\/(www\.)?github\.com\/[\w.-]+\/[\w.-]+\/?$/;
/** GitLab projects may sit in nested groups (`gitlab.com/group/subgroup/project`). */
const GITLAB_REPOSITORY = /^https?:\/\/(www\.)?gitlab\.com\/[\w.-]+(\/[\w.-]+)+\/?$/;

export function semanticIssues(server: JsonObject, options: ServerJsonRuleOptions = {}): ValidationReportIssue[] {
  const issues: ValidationReportIssue[] = [];
  const name = stringAt(server, 'name');
  if (name !== undefined) issues.push(...nameIssues(name));
  const version = stringAt(server, 'version');
  if (version !== undefined) issues.push(...versionIssues('version', version));
  if (isObject(server['repository'])) issues.push(...repositoryIssues(server['repository']));
  const websiteUrl = stringAt(server, 'websiteUrl');
  if (websiteUrl) issues.push(...websiteUrlIssues(websiteUrl));
  const title = stringAt(server, 'title');
  if (title && title.trim() === '') issues.push(semanticError('title', 'title-whitespace-only', 'title cannot be only whitespace'));
  for (const [icon, position] of objectsAt(server, 'icons')) issues.push(...iconIssues(index('icons', position), icon));
  for (const [pkg, position] of objectsAt(server, 'packages')) issues.push(...packageIssues(index('packages', position), pkg));
  for (const [remote, position] of objectsAt(server, 'remotes')) issues.push(...remoteIssues(index('remotes', position), remote, options.allowLocalRemotes));
  if (isObject(server['_meta'])) issues.push(...metaIssues(server['_meta']));
  return issues;
}

function nameIssues(name: string): ValidationReportIssue[] {
  const message = nameFault(name);
  return message === undefined ? [] : [semanticError('name', 'invalid-server-name', message)];
}

function nameFault(name: string): string | undefined {
  if (name === '') return 'server name is required and must be a string';
  const parts = name.split('/');
  if (parts.length === 1) return "server name must be in format 'dns-namespace/name' (e.g., 'com.example.api/server')";
  if (parts.length > 2) return 'server name cannot contain multiple slashes';
  const [namespace, part] = parts as [string, string];
  if (namespace === '' || part === '') return "server name must be in format 'dns-namespace/name' with non-empty namespace and name parts";
  if (!NAMESPACE.test(namespace)) {
    return `server name format is invalid: namespace '${namespace}' is invalid. Namespace must start and end with alphanumeric characters, and may contain dots and hyphens in the middle`;
  }
  if (!NAME_PART.test(part)) {
    return `server name format is invalid: name '${part}' is invalid. Name must start and end with alphanumeric characters, and may contain dots, underscores, and hyphens in the middle`;
  }
  return undefined;
}

function repositoryIssues(repository: JsonObject): ValidationReportIssue[] {
  const url = stringAt(repository, 'url') ?? '';
  const source = stringAt(repository, 'source') ?? '';
  // Upstream skips an empty repository object (the schema still requires url and source).
  if (url === '' && source === '') return [];
  const issues: ValidationReportIssue[] = [];
  const pattern = source === 'github' ? GITHUB_REPOSITORY : source === 'gitlab' ? GITLAB_REPOSITORY : undefined;
  if (pattern === undefined) {
    issues.push(semanticError('repository.url', 'invalid-repository-url', `invalid repository URL: ${url} (source must be github or gitlab, got '${source}')`));
  } else if (!pattern.test(url)) {
    issues.push(semanticError('repository.url', 'invalid-repository-url', `invalid repository URL: ${url}`));
  }
  const subfolder = stringAt(repository, 'subfolder');
  if (subfolder && !isCleanRelativePath(subfolder)) {
    issues.push(semanticError('repository.subfolder', 'invalid-subfolder-path', `invalid subfolder path: ${subfolder}`));
  }
  return issues;
}

/** `src/server`: relative, no leading or trailing slash, no empty, `.` or `..` segment. */
function isCleanRelativePath(path: string): boolean {
  if (!/^[a-zA-Z0-9\-_./]+$/.test(path) || path.startsWith('/') || path.endsWith('/')) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

function websiteUrlIssues(url: string): ValidationReportIssue[] {
  const scheme = schemeOf(url);
  // Go's url.Parse accepts a relative reference, which upstream then reports as both faults below.
  if (scheme !== '' && !parses(url)) return [semanticError('websiteUrl', 'invalid-website-url', `invalid websiteUrl: ${url}`)];
  const issues: ValidationReportIssue[] = [];
  if (scheme === '') issues.push(semanticError('websiteUrl', 'website-url-must-be-absolute', `websiteUrl must be absolute (include scheme): ${url}`));
  if (scheme !== 'https') issues.push(semanticError('websiteUrl', 'website-url-invalid-scheme', `websiteUrl must use https scheme: ${url}`));
  return issues;
}

function iconIssues(path: string, icon: JsonObject): ValidationReportIssue[] {
  const src = stringAt(icon, 'src');
  if (src === undefined) return [];
  const at = field(path, 'src');
  const scheme = schemeOf(src);
  if (scheme !== '' && !parses(src)) return [semanticError(at, 'icon-src-invalid-url', `invalid icon src URL: ${src}`)];
  const issues: ValidationReportIssue[] = [];
  if (scheme === '') issues.push(semanticError(at, 'icon-src-not-absolute', `icon src must be an absolute URL (include scheme): ${src}`));
  if (scheme !== 'https') issues.push(semanticError(at, 'icon-src-invalid-scheme', `icon src must use https scheme (got ${scheme}): ${src}`));
  return issues;
}

function parses(url: string): boolean {
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}
