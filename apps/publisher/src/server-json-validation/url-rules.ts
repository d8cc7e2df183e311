/*
 * URL helpers shared by the rules. Transport URLs are templates (`https://{host}:{port}/mcp`):
 * before parsing, each `{variable}` is replaced by a placeholder that is valid where it stands,
 * as upstream does (`internal/validators/utils.go`), so a template is judged by its fixed parts.
 */

const TEMPLATE_VARIABLE = /\{([^}]+)\}/g;
const KNOWN_PLACEHOLDERS: Record<string, string> = {
  '{host}': 'example.com',
  '{port}': '8080',
  '{path}': 'api',
  '{protocol}': 'http',
  '{scheme}': 'http',
};

/** `http://{host}:{port}/mcp` → `['host', 'port']`. */
export function templateVariables(url: string): string[] {
  return [...url.matchAll(TEMPLATE_VARIABLE)].map((match) => match[1] as string);
}

function withPlaceholders(url: string): string {
  let result = url;
  for (const [variable, placeholder] of Object.entries(KNOWN_PLACEHOLDERS)) result = result.split(variable).join(placeholder);
  // A variable right after the host's colon stands for a port, which must be numeric.
  result = result.replace(/:(\{[^}]+\})(\/|$)/g, ':8080$2');
  return result.replace(/\{[^}]+\}/g, 'placeholder');
}

/** The URL (template) parsed, if it is an http(s) URL with a host once its variables are filled in. */
export function parseHttpUrl(url: string): URL | undefined {
  let parsed: URL;
  try {
    parsed = new URL(withPlaceholders(url));
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
  return parsed.hostname === '' ? undefined : parsed;
}

/** The scheme of an absolute URL, lower-cased (as Go's url.Parse gives it), or '' for a relative one. */
export function schemeOf(url: string): string {
  return /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase() ?? '';
}

/** Loopback names a remote may not use: clients elsewhere would reach their own machine. */
export function isLocalHostname(hostname: string): boolean {
  const host = hostname.toLowerCase();
  // WHATWG URL keeps the brackets of an IPv6 literal; `[::1]` is loopback too (not in upstream's list).
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1' || host.endsWith('.localhost');
}
