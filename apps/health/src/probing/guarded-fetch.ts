import { rootCertificates } from 'node:tls';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { bareHostname, checkHost, describeRefusal, GUARDED_PROTOCOLS, type AddressPolicy, type HostCheck, type Resolver } from '@toolport/platform';

/** What `fetch` the MCP SDK transports accept. */
export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** Something that stopped the probe from inside the network layer. */
export type NetworkIncident = { kind: 'blocked'; reason: string } | { kind: 'too-large'; reason: string };

export class ProbeRefusedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'ProbeRefusedError';
  }
}

export class ResponseTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`response body larger than ${limit} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

export interface GuardedNetworkOptions {
  policy: AddressPolicy;
  resolver: Resolver;
  /** The probe's signal: aborts every request of this network. */
  signal: AbortSignal;
  maxResponseBytes: number;
  maxRedirects: number;
  connectTimeoutMs: number;
  /** Header names (the target's static headers) not carried to another origin by a redirect. */
  sensitiveHeaders?: readonly string[];
  /** Told once, at the first refusal or oversized body; the prober aborts the probe on it. */
  onIncident?: (incident: NetworkIncident) => void;
  /** PEM certificates trusted besides Node's root store (tests; an internal CA). */
  extraCaCerts?: readonly string[];
  /** Told before each TCP connection, with the address actually dialled (tests, tracing). */
  onConnect?: (connection: { hostname: string; address: string; port: number }) => void;
}

export interface GuardedNetwork {
  /** A fetch that resolves each host once, checks it, and connects only to the checked address. */
  fetch: FetchLike;
  /** Resolves and checks the host of `url` (once per host per network) and pins the result. */
  check(url: URL): Promise<HostCheck>;
  readonly incident: NetworkIncident | null;
  /** The last request that failed below HTTP (refused, reset, TLS...), for reasons the SDK flattened. */
  readonly lastError: unknown;
  /** Closes every connection of this network. */
  close(): Promise<void>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
/** Never carried to another origin (the fetch standard drops Authorization; we drop these too). */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

/**
 * One probe's network: an undici Agent whose connector dials the address that `check` approved for
 * the host (no second DNS lookup, so a rebinding answer is never used) while TLS keeps the host name
 * for SNI and certificate checks and HTTP keeps it in `Host`. Redirects are followed here, one hop at
 * a time, each hop's host checked like the first; response bodies are counted and cut at the cap.
 */
export function createGuardedNetwork(options: GuardedNetworkOptions): GuardedNetwork {
  const { policy, resolver, signal, maxResponseBytes, maxRedirects } = options;
  const checks = new Map<string, Promise<HostCheck>>();
  const pins = new Map<string, string>();
  let incident: NetworkIncident | null = null;
  let lastError: unknown = null;

  const report = (next: NetworkIncident): void => {
    if (incident) return;
    incident = next;
    options.onIncident?.(next);
  };

  const check = (url: URL): Promise<HostCheck> => {
    // Keyed by host alone, so that http and https of one name share one resolution: a second lookup
    // is what DNS rebinding needs.
    if (!GUARDED_PROTOCOLS.includes(url.protocol)) return checkHost(url, policy, resolver);
    const key = bareHostname(url.hostname);
    let pending = checks.get(key);
    if (!pending) {
      pending = checkHost(url, policy, resolver).then((result) => {
        if (result.kind === 'allowed') pins.set(result.hostname, result.address);
        return result;
      });
      checks.set(key, pending);
    }
    return pending;
  };

  const ca = options.extraCaCerts?.length ? { ca: [...rootCertificates, ...options.extraCaCerts] } : {};
  const dial = buildConnector({ timeout: options.connectTimeoutMs, ...ca });
  const connector: buildConnector.connector = (connectOptions, callback) => {
    const hostname = bareHostname(connectOptions.hostname);
    const address = pins.get(hostname);
    if (address === undefined) {
      // Unreachable through `fetch` below, which checks before every request: a second line of defence.
      callback(new ProbeRefusedError(`refused: ${hostname} was not checked before connecting`), null);
      return;
    }
    const verdict = policy.check(address);
    if (!verdict.allowed) {
      const reason = `refused address: ${describeRefusal(verdict.refusal)}`;
      report({ kind: 'blocked', reason });
      callback(new ProbeRefusedError(reason), null);
      return;
    }
    const port = Number(connectOptions.port) || (connectOptions.protocol === 'https:' ? 443 : 80);
    options.onConnect?.({ hostname, address, port });
    dial({ ...connectOptions, hostname: address }, callback);
  };
  const agent = new Agent({ connect: connector });

  const capped = (response: Response): Response => {
    if (!response.body || NULL_BODY.has(response.status)) return response;
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxResponseBytes) {
      void response.body.cancel().catch(() => undefined);
      report({ kind: 'too-large', reason: `response body of ${declared} bytes exceeds the ${maxResponseBytes}-byte cap` });
      throw new ResponseTooLargeError(maxResponseBytes);
    }
    let seen = 0;
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxResponseBytes) {
          report({ kind: 'too-large', reason: `response body exceeds the ${maxResponseBytes}-byte cap` });
          controller.error(new ResponseTooLargeError(maxResponseBytes));
          return;
        }
        controller.enqueue(chunk);
      },
    });
    return new Response(response.body.pipeThrough(counter), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };

  const guardedFetch: FetchLike = async (input, init = {}) => {
    let url = new URL(String(input));
    let method = (init.method ?? 'GET').toUpperCase();
    let body = init.body ?? undefined;
    const headers = new Headers(init.headers);
    const requestSignal = init.signal ? AbortSignal.any([init.signal, signal]) : signal;
    const sensitive = [...CREDENTIAL_HEADERS, ...(options.sensitiveHeaders ?? []).map((h) => h.toLowerCase())];
    for (let hop = 0; ; hop += 1) {
      const result = await check(url);
      if (result.kind === 'blocked') {
        const reason = hop === 0 ? result.reason : `refused redirect to ${url.origin}: ${result.reason.replace(/^refused address: /, '')}`;
        report({ kind: 'blocked', reason });
        throw new ProbeRefusedError(reason);
      }
      if (result.kind === 'unresolved') throw Object.assign(new Error(result.reason), { code: 'ENOTFOUND' });
      let response: Response;
      try {
        response = (await undiciFetch(url, {
          method,
          headers,
          body: body as never,
          signal: requestSignal,
          redirect: 'manual',
          dispatcher: agent,
        })) as unknown as Response;
      } catch (error) {
        if (!requestSignal.aborted) lastError = error;
        throw error;
      }
      const location = REDIRECTS.has(response.status) ? response.headers.get('location') : null;
      if (location === null || init.redirect === 'manual') return capped(response);
      await response.body?.cancel().catch(() => undefined);
      if (init.redirect === 'error') throw new TypeError(`redirect from ${url.origin} not allowed`);
      if (hop >= maxRedirects) throw new Error(`more than ${maxRedirects} redirects`);
      const next = new URL(location, url);
      // As the fetch standard does: 303, and 301/302 after a POST, turn into a GET without a body.
      if ((response.status === 303 && method !== 'HEAD') || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language', 'content-location']) headers.delete(name);
      }
      if (next.origin !== url.origin) for (const name of sensitive) headers.delete(name);
      url = next;
    }
  };

  return {
    fetch: guardedFetch,
    check,
    get incident() {
      return incident;
    },
    get lastError() {
      return lastError;
    },
    close: async () => {
      await agent.destroy().catch(() => undefined);
    },
  };
}
