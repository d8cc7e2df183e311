import { isLocalHostname, parseHttpUrl, templateVariables } from './url-rules';
import { field, isObject, type JsonObject, semanticError, stringAt, type ValidationReportIssue } from './validation-report';

/*
 * Transport rules (BEHAVIOUR.md §2 "Transport" and "Remotes"; upstream
 * `validatePackageTransport` / `validateRemoteTransport`). A package transport runs next to the
 * client, so its URL may be plain http and point at localhost; a remote is reached over the
 * network by every client, so it must be https and must not name a loopback host.
 */

const HTTP_TRANSPORTS = new Set(['streamable-http', 'sse']);

/**
 * `available` holds the names a package transport URL may use as `{variables}`: the package's
 * argument names and value hints and its environment variable names.
 */
export function packageTransportIssues(path: string, transport: JsonObject, available: readonly string[]): ValidationReportIssue[] {
  const type = stringAt(transport, 'type');
  const url = stringAt(transport, 'url') ?? '';
  if (type === undefined) return []; // the schema reports a missing or non-string type
  if (type === 'stdio') {
    return url === '' ? [] : [semanticError(field(path, 'url'), 'stdio-transport-url-not-empty', `url must be empty for stdio transport type, got: ${url}`)];
  }
  if (!HTTP_TRANSPORTS.has(type)) {
    return [semanticError(field(path, 'type'), 'unsupported-transport-type', `unsupported transport type: ${type}`)];
  }
  if (url === '') return [semanticError(field(path, 'url'), 'streamable-transport-url-required', `url is required for ${type} transport type`)];
  if (parseHttpUrl(url) === undefined) {
    return [semanticError(field(path, 'url'), 'invalid-templated-url', `invalid package transport URL: ${url}`)];
  }
  return undefinedVariableIssues(field(path, 'url'), 'invalid package transport URL', url, available);
}

/** `allowLocalRemotes` (TOOLPORT_ALLOW_LOCAL_REMOTES, development and tests only) accepts http:// and loopback hosts. */
export function remoteIssues(path: string, remote: JsonObject, allowLocalRemotes = false): ValidationReportIssue[] {
  const type = stringAt(remote, 'type');
  if (type === undefined) return [];
  if (!HTTP_TRANSPORTS.has(type)) {
    return [
      semanticError(
        field(path, 'type'),
        'unsupported-remote-transport-type',
        `unsupported transport type for remotes: ${type} (only streamable-http and sse are supported)`,
      ),
    ];
  }
  const url = stringAt(remote, 'url') ?? '';
  const at = field(path, 'url');
  if (url === '') return [semanticError(at, 'remote-transport-url-required', `url is required for ${type} transport type`)];

  const parsed = parseHttpUrl(url);
  const fault =
    parsed === undefined
      ? ''
      : allowLocalRemotes
        ? undefined
        : parsed.protocol !== 'https:'
        ? ' (remotes must use https)'
        : isLocalHostname(parsed.hostname)
          ? ' (remotes must not point at localhost: clients would reach their own machine)'
          : undefined;
  if (fault !== undefined) return [semanticError(at, 'invalid-remote-url', `invalid remote URL: ${url}${fault}`)];

  const variables = remote['variables'];
  const defined = isObject(variables) ? Object.keys(variables) : [];
  return undefinedVariableIssues(at, 'invalid remote URL', url, defined);
}

function undefinedVariableIssues(path: string, prefix: string, url: string, available: readonly string[]): ValidationReportIssue[] {
  const missing = [...new Set(templateVariables(url).filter((name) => !available.includes(name)))];
  if (missing.length === 0) return [];
  const names = missing.map((name) => `{${name}}`).join(', ');
  const offered = available.length > 0 ? available.join(', ') : 'none';
  return [
    semanticError(
      path,
      'invalid-templated-url',
      `${prefix}: template variables in URL ${url} reference undefined variables ${names}. Available variables: ${offered}`,
    ),
  ];
}
