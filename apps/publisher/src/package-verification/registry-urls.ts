/**
 * Registry base URLs compared in one canonical form: `https://host[:port][/path]` without a
 * trailing slash, credentials, query or fragment, so `https://registry.npmjs.org/` and
 * `https://REGISTRY.npmjs.org` name the same registry.
 */
export function normalizeRegistryUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) return null;
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** Whether `url` lies under one of the allowed registry URLs (same origin, path prefix on a segment boundary). */
export function isUnderAllowedUrl(url: URL, allowed: readonly string[]): boolean {
  return allowed.some((entry) => {
    const base = new URL(entry);
    if (base.origin !== url.origin) return false;
    const prefix = base.pathname.replace(/\/+$/, '');
    return prefix === '' || url.pathname === prefix || url.pathname.startsWith(`${prefix}/`);
  });
}

/** Joins a base URL and already-encoded path segments with single slashes. */
export function joinUrl(base: string, ...segments: string[]): string {
  return [base.replace(/\/+$/, ''), ...segments].join('/');
}
