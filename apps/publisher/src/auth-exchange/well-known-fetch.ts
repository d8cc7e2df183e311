import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import {
  type AddressPolicy,
  createAddressPolicy,
  createCheckingLookup,
  refusedLiteral,
  type Resolver,
} from '@toolport/platform';
import type { WellKnownTarget } from './exchange-domain';
import { ExchangeRefused } from './exchange-failure';

/** Official registry limits (`internal/api/handlers/v0/auth/http.go`): 10 s, no redirects, 4096 bytes. */
export const WELL_KNOWN_TIMEOUT_MS = 10_000;
export const WELL_KNOWN_MAX_BYTES = 4096;

export interface WellKnownFetchOptions {
  timeoutMs?: number;
  maxBytes?: number;
  /** Sent as User-Agent, so a domain's logs show who asked. */
  userAgent?: string;
  /** How the host name is resolved (default: the system resolver); tests answer as DNS would. */
  resolver?: Resolver;
}

/** Public unicast only: `POST /auth/http` must not probe internal services (SSRF). */
const PUBLIC_ONLY = createAddressPolicy();
const LOOPBACK_CIDRS = ['127.0.0.0/8', '::1/128'];
const LOOPBACK_EXEMPT = createAddressPolicy(LOOPBACK_CIDRS);

/**
 * Loopback only, for the development target (TOOLPORT_AUTH_HTTP_ALLOW_INSECURE_LOOPBACK): an
 * address counts only when the loopback exemption is what allowed it, so `localhost` resolving to
 * a public or private address is refused as well.
 */
const LOOPBACK_ONLY: AddressPolicy = {
  allowCidrs: LOOPBACK_EXEMPT.allowCidrs,
  check(address) {
    const verdict = LOOPBACK_EXEMPT.check(address);
    if (!verdict.allowed || verdict.allowedBy) return verdict;
    const range = verdict.address.includes(':') ? '::/0' : '0.0.0.0/0';
    return { allowed: false, refusal: { address: verdict.address, range, label: 'not loopback, the only destination of a development loopback target' } };
  },
};

/**
 * The shared outbound guard (libs/platform outbound-guard) for a well-known target: public
 * addresses for a domain, loopback ones for the development loopback target. Every address a
 * host name resolves to must pass, or the connection is refused.
 */
export function wellKnownAddressPolicy(target: Pick<WellKnownTarget, 'loopback'>): AddressPolicy {
  return target.loopback ? LOOPBACK_ONLY : PUBLIC_ONLY;
}

/**
 * The text of `<target.url>`: one GET, 200 only, redirects refused (a redirect could point the
 * registry at an internal path), body capped, whole exchange bounded in time. Public targets
 * connect only to public addresses; the loopback development target only to loopback ones.
 */
export function fetchWellKnown(target: WellKnownTarget, options: WellKnownFetchOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? WELL_KNOWN_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? WELL_KNOWN_MAX_BYTES;
  const url = target.url.toString();
  const policy = wellKnownAddressPolicy(target);
  // Node connects to an IP literal without calling `lookup`: literals are checked here.
  const literal = refusedLiteral(target.url.hostname, policy);
  if (literal) return Promise.reject(new ExchangeRefused(`could not fetch ${url}: ${literal.message}`));
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const finish = (error: ExchangeRefused | null, body?: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(body ?? '');
    };
    const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target.url, {
      method: 'GET',
      headers: { accept: 'text/plain', 'user-agent': options.userAgent ?? 'toolport-registry' },
      lookup: createCheckingLookup(policy, options.resolver),
      // No pooled sockets: every proof is fetched on a fresh, freshly checked connection.
      agent: false,
    });
    const timer = setTimeout(() => finish(new ExchangeRefused(`${url} did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => finish(new ExchangeRefused(`could not fetch ${url}: ${error.message}`)));
    req.on('response', (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        const location = response.headers.location;
        return finish(
          new ExchangeRefused(
            `${url} answered HTTP ${status}${location ? ` (redirect to ${location})` : ''}; redirects are not followed: serve the file at this exact URL`,
          ),
        );
      }
      if (status !== 200) return finish(new ExchangeRefused(`${url} answered HTTP ${status}; it must answer 200 with the proof record`));
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBytes) return finish(tooLarge(url, maxBytes));
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) finish(tooLarge(url, maxBytes));
        else chunks.push(chunk);
      });
      response.on('end', () => finish(null, Buffer.concat(chunks).toString('utf8')));
      response.on('error', (error) => finish(new ExchangeRefused(`reading ${url} failed: ${error.message}`)));
      return undefined;
    });
    req.end();
  });
}

const tooLarge = (url: string, maxBytes: number): ExchangeRefused =>
  new ExchangeRefused(`${url} is larger than ${maxBytes} bytes; it should hold only the proof record(s)`);
