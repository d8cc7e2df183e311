import type { RouteClaim } from '@toolport/platform';

/**
 * Picks the service that answers a request when all five share one port, the way an ingress
 * routes by path in a scaled-out install. The longest matching prefix wins, so
 * `PATCH /v0/servers/x/status` (publisher) and `GET /v0/servers` (catalog) can coexist.
 */
export class RouteTable<T> {
  private readonly entries: Array<{ claim: RouteClaim; target: T }> = [];

  add(target: T, claims: readonly RouteClaim[]): this {
    for (const claim of claims) this.entries.push({ claim, target });
    // Longest prefix first; a claim narrowed by methods or a pattern beats a plain one of the same length.
    const narrowness = (c: RouteClaim) => Number(!!c.methods) + Number(!!c.pattern);
    this.entries.sort((a, b) => b.claim.prefix.length - a.claim.prefix.length || narrowness(b.claim) - narrowness(a.claim));
    return this;
  }

  match(method: string, url: string): T | null {
    const path = url.split('?')[0] ?? '';
    const upper = method.toUpperCase();
    for (const { claim, target } of this.entries) {
      if (!matchesPrefix(path, claim.prefix)) continue;
      if (claim.pattern && !claim.pattern.test(path)) continue;
      // CORS preflights go where the real request would go.
      if (claim.methods && upper !== 'OPTIONS' && !claim.methods.includes(upper)) continue;
      return target;
    }
    return null;
  }
}

/** `/v0/servers` matches `/v0/servers`, `/v0/servers/x` and `/v0/servers?x`, not `/v0/serversx`. */
function matchesPrefix(path: string, prefix: string): boolean {
  if (!path.startsWith(prefix)) return false;
  if (path.length === prefix.length || prefix.endsWith('/') || prefix.endsWith('-')) return true;
  return path[prefix.length] === '/';
}
