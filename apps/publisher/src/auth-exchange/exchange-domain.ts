import { isIP } from 'node:net';

/**
 * The `domain` of an http or dns token exchange, checked before anything is fetched or looked up.
 * The official registry accepts `^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.…)*$` up to 253
 * characters (`internal/api/handlers/v0/auth/common.go` IsValidDomain); the same shape is kept
 * here, plus the 63-character label limit of RFC 1035 §2.3.4. Names are case-insensitive
 * (RFC 4343), so they are lowercased: `Example.COM` and `example.com` grant one namespace.
 */
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const DOMAIN_NAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);
const MAX_DOMAIN_LENGTH = 253;

/** Loopback spellings that development mode accepts, each with an optional `:port`. */
const LOOPBACK = /^(localhost|127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?$/;

/** The namespace every loopback form grants in development mode (`localhost/*`). */
export const LOOPBACK_NAMESPACE_HOST = 'localhost';

export type DomainCheck<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Where `/.well-known/mcp-registry-auth` is fetched from, and the host whose namespace it proves. */
export interface WellKnownTarget {
  url: URL;
  /** The lowercased domain, reversed into the namespace (`localhost` for every loopback form). */
  namespaceHost: string;
  /** True only in development mode: plain http to a loopback address. */
  loopback: boolean;
}

/** `example.com` → `com.example`: the official registry's reverse-DNS namespace. */
export function reverseDomain(domain: string): string {
  return domain.split('.').reverse().join('.');
}

/**
 * The well-known URL for an http exchange. Always `https://<domain>`; only when
 * `allowInsecureLoopback` is set may the domain be `localhost`, `127.0.0.1` or `[::1]` (optionally
 * with a port), fetched over plain http, so tests can serve the file on this machine.
 */
export function wellKnownTarget(domain: string, allowInsecureLoopback: boolean): DomainCheck<WellKnownTarget> {
  const loopback = LOOPBACK.exec(domain.toLowerCase());
  if (loopback) {
    if (!allowInsecureLoopback) {
      return refuse(
        `${domain} is a loopback address; the registry fetches https://<domain>/.well-known/mcp-registry-auth from public ` +
          'domains only (plain http to loopback is a development setting: TOOLPORT_AUTH_HTTP_ALLOW_INSECURE_LOOPBACK=true)',
      );
    }
    const port = loopback[2] === undefined ? null : Number(loopback[2]);
    if (port !== null && (port < 1 || port > 65535)) return refuse(`${domain} has an invalid port (1-65535)`);
    const url = new URL(`http://${loopback[1]}${port === null ? '' : `:${port}`}/.well-known/mcp-registry-auth`);
    return { ok: true, value: { url, namespaceHost: LOOPBACK_NAMESPACE_HOST, loopback: true } };
  }
  const name = domainName(domain);
  if (!name.ok) return name;
  return {
    ok: true,
    value: { url: new URL(`https://${name.value}/.well-known/mcp-registry-auth`), namespaceHost: name.value, loopback: false },
  };
}

/** The lowercased domain for a dns exchange, whose apex TXT records are looked up. */
export function dnsDomain(domain: string): DomainCheck<string> {
  if (LOOPBACK.test(domain.toLowerCase())) return refuse(`${domain} is a loopback address, not a domain one can own`);
  return domainName(domain);
}

/** A bare, public-looking domain name: no scheme, port, path, user info or IP literal. */
function domainName(domain: string): DomainCheck<string> {
  if (domain.length === 0) return refuse('the domain is empty');
  if (domain.length > MAX_DOMAIN_LENGTH) return refuse(`the domain is longer than ${MAX_DOMAIN_LENGTH} characters`);
  if (isIP(domain.replace(/^\[(.*)\]$/, '$1')) !== 0) {
    return refuse(`${domain} is an IP address; a namespace is proven for a domain name (e.g. example.com)`);
  }
  if (/[/:@?#\\\s]/.test(domain)) {
    return refuse(`${JSON.stringify(domain)} is not a bare domain name: send it without scheme, port, path or user info (e.g. example.com)`);
  }
  const name = domain.toLowerCase();
  if (!DOMAIN_NAME.test(name)) {
    return refuse(`${JSON.stringify(domain)} is not a valid domain name (letters, digits and hyphens in dot-separated labels)`);
  }
  return { ok: true, value: name };
}

const refuse = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });
