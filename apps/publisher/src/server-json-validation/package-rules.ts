import { packageTransportIssues } from './transport-rules';
import { field, index, isObject, type JsonObject, objectsAt, semanticError, stringAt, type ValidationReportIssue } from './validation-report';
import { versionIssues } from './version-rules';

/*
 * Package rules (BEHAVIOUR.md §2 "Package" and §3 "Package ownership"). Upstream checks the
 * per-registry-type ones (version, fileSha256, registryBaseUrl, the MCPB URL) only while it
 * verifies package ownership on publish; Toolport reports them in /validate too, so a publisher
 * learns about them before publishing. The messages are upstream's where it has one
 * (`internal/validators/registries/*.go`).
 */

/** Registry types Toolport's scanner knows how to fetch from (the official list). */
export const REGISTRY_TYPES: readonly string[] = ['npm', 'pypi', 'nuget', 'oci', 'mcpb'];
const LABELS: Record<string, string> = { npm: 'NPM', pypi: 'PyPI', nuget: 'NuGet', oci: 'OCI', mcpb: 'MCPB' };
/** Their registries look a package up by name and version, so the version is part of the address. */
const VERSION_REQUIRED = new Set(['npm', 'pypi', 'nuget']);

const MCPB_HOSTS = new Set(['github.com', 'www.github.com', 'gitlab.com', 'www.gitlab.com']);
/** `/owner/repo/releases/download/tag/file`, owner as GitHub allows it (1-39 chars). */
const GITHUB_RELEASE_ASSET = /^\/[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,37}[a-zA-Z0-9])?\/[a-zA-Z0-9._-]+\/releases\/download\/[^/]+\/[^/]+$/;
/** `/group[/subgroup...]/project/-/releases/tag/downloads/file`. */
const GITLAB_RELEASE_ASSET = /^\/[a-zA-Z0-9._-]+(?:\/[a-zA-Z0-9._-]+)*\/-\/releases\/[^/]+\/downloads\/[^/]+$/;
/** `/group[/subgroup...]/project/-/package_files/<id>/download`. */
const GITLAB_PACKAGE_FILE = /^\/[a-zA-Z0-9._-]+(?:\/[a-zA-Z0-9._-]+)*\/-\/package_files\/[0-9]+\/download$/;

export function packageIssues(path: string, pkg: JsonObject): ValidationReportIssue[] {
  const issues: ValidationReportIssue[] = [];
  const registryType = stringAt(pkg, 'registryType');
  const identifier = stringAt(pkg, 'identifier');
  const version = pkg['version'];

  if (registryType !== undefined && !REGISTRY_TYPES.includes(registryType)) {
    issues.push(
      semanticError(field(path, 'registryType'), 'unsupported-registry-type', `unsupported registry type: ${registryType} (supported: ${REGISTRY_TYPES.join(', ')})`),
    );
  }
  if (identifier?.includes(' ')) issues.push(semanticError(field(path, 'identifier'), 'package-name-has-spaces', 'package name cannot contain spaces'));
  if (typeof version === 'string') issues.push(...versionIssues(field(path, 'version'), version));
  if (registryType !== undefined && REGISTRY_TYPES.includes(registryType)) issues.push(...registryTypeIssues(path, registryType, pkg));

  for (const list of ['runtimeArguments', 'packageArguments']) {
    for (const [argument, position] of objectsAt(pkg, list)) issues.push(...argumentIssues(index(field(path, list), position), argument));
  }
  const transport = pkg['transport'];
  if (isObject(transport)) issues.push(...packageTransportIssues(field(path, 'transport'), transport, transportVariables(pkg)));
  return issues;
}

function registryTypeIssues(path: string, registryType: string, pkg: JsonObject): ValidationReportIssue[] {
  const issues: ValidationReportIssue[] = [];
  const label = LABELS[registryType] as string;
  // An empty string is the schema's (minLength 1); only an absent field is reported here.
  if (VERSION_REQUIRED.has(registryType) && pkg['version'] === undefined) {
    issues.push(semanticError(field(path, 'version'), 'package-version-required', `version is required for ${label} packages`));
  }
  if (registryType === 'oci' && pkg['version'] !== undefined) {
    issues.push(
      semanticError(field(path, 'version'), 'package-version-forbidden', "OCI packages must not have 'version' field: the tag or digest belongs in 'identifier'"),
    );
  }
  if (registryType === 'mcpb') {
    if (pkg['fileSha256'] === undefined) {
      issues.push(semanticError(field(path, 'fileSha256'), 'package-file-sha256-required', 'MCPB packages must include a fileSha256 hash for integrity verification'));
    }
    if (pkg['registryBaseUrl'] !== undefined) {
      issues.push(
        semanticError(
          field(path, 'registryBaseUrl'),
          'mcpb-registry-base-url-forbidden',
          "MCPB packages must not have 'registryBaseUrl' field - use the full download URL in 'identifier' instead",
        ),
      );
    }
    const identifier = stringAt(pkg, 'identifier');
    const fault = identifier === undefined ? undefined : mcpbUrlFault(identifier);
    if (fault) issues.push(semanticError(field(path, 'identifier'), fault[0], fault[1]));
  } else if (pkg['fileSha256'] !== undefined) {
    issues.push(
      semanticError(
        field(path, 'fileSha256'),
        'package-file-sha256-forbidden',
        `${label} packages must not have 'fileSha256' field - this is only for MCPB packages`,
      ),
    );
  }
  return issues;
}

/** The first thing wrong with an MCPB download URL, as [reference, message]. */
export function mcpbUrlFault(identifier: string): [string, string] | undefined {
  let url: URL;
  try {
    url = new URL(identifier);
  } catch {
    return ['invalid-mcpb-url', `invalid MCPB package URL: ${identifier}`];
  }
  if (url.protocol !== 'https:') return ['mcpb-url-not-https', `invalid MCPB package URL, must use HTTPS: ${identifier}`];
  const host = url.host.toLowerCase();
  if (!MCPB_HOSTS.has(host)) {
    return ['mcpb-url-host-not-allowed', `MCPB packages must be hosted on allowlisted providers (GitHub or GitLab). Host '${host}' is not allowed`];
  }
  const path = url.pathname;
  if (host.endsWith('github.com') && !GITHUB_RELEASE_ASSET.test(path)) {
    return ['mcpb-url-not-release-asset', "GitHub MCPB packages must be release assets following the pattern '/owner/repo/releases/download/tag/filename'"];
  }
  if (host.endsWith('gitlab.com') && !GITLAB_RELEASE_ASSET.test(path) && !GITLAB_PACKAGE_FILE.test(path)) {
    return [
      'mcpb-url-not-release-asset',
      "GitLab MCPB packages must be release assets following patterns '/owner/repo/-/releases/tag/downloads/filename' or '/owner/repo/-/package_files/id/download'",
    ];
  }
  // The hosts allowed above never contain "mcp", so upstream's whole-URL test is a path test.
  if (!path.toLowerCase().includes('mcp')) return ['mcpb-url-missing-mcp', `MCPB package URL must contain 'mcp': ${identifier}`];
  return undefined;
}

/** Named-argument rules: the name is the flag alone (`--port`), never the flag with its value. */
function argumentIssues(path: string, argument: JsonObject): ValidationReportIssue[] {
  if (stringAt(argument, 'type') !== 'named') return [];
  const name = stringAt(argument, 'name');
  if (name === undefined) return [];
  if (name === '') return [semanticError(field(path, 'name'), 'named-argument-name-required', 'named argument name is required')];
  const issues: ValidationReportIssue[] = [];
  if (/[<> $]/.test(name)) {
    issues.push(
      semanticError(
        field(path, 'name'),
        'invalid-named-argument-name',
        `invalid named argument name format: ${name} (the name is the flag alone, e.g. --port; put the value in value, default or variables)`,
      ),
    );
  }
  for (const [key, reference, noun] of [
    ['value', 'argument-value-starts-with-name', 'value'],
    ['default', 'argument-default-starts-with-name', 'default'],
  ] as const) {
    const value = stringAt(argument, key);
    if (value !== undefined && value !== '' && value.startsWith(name)) {
      issues.push(
        semanticError(
          field(path, key),
          reference,
          `argument ${noun} cannot start with the argument name: ${noun} starts with argument name '${name}': ${value}`,
        ),
      );
    }
  }
  return issues;
}

/** Names a package transport URL may use: argument names and value hints, environment variables. */
function transportVariables(pkg: JsonObject): string[] {
  const names = objectsAt(pkg, 'environmentVariables').flatMap(([variable]) => stringAt(variable, 'name') ?? []);
  for (const list of ['runtimeArguments', 'packageArguments']) {
    for (const [argument] of objectsAt(pkg, list)) {
      for (const key of ['name', 'valueHint']) {
        const value = stringAt(argument, key);
        if (value) names.push(value);
      }
    }
  }
  return names;
}
