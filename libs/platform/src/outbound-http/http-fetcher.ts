/**
 * Outbound HTTP for documents and files that a *publisher* names (the publisher's ownership
 * checks, the scanner's artifact downloads), so every request is bounded (time, bytes,
 * redirects, protocols). Non-2xx answers become a FetchError whose kind says what happened;
 * callers turn kinds into messages or retries. Nothing here executes or unpacks a response.
 */
import { Agent, fetch as undiciFetch } from 'undici';
import { AddressRefusedError, createCheckingLookup, refusedLiteral, type AddressPolicy, type Resolver } from '../outbound-guard';

export interface FetchRequest {
  url: string;
  headers?: Readonly<Record<string, string>>;
  /** Largest body accepted (decoded bytes); beyond it the transfer is aborted with a `too-large` FetchError. */
  maxBytes: number;
  /**
   * Receives the body chunk by chunk instead of buffering it; the response's `body` is then empty.
   * When it returns a promise the next chunk is read only after it settles (backpressure: a slow
   * consumer such as an unpacker holds the download, not memory); a rejection aborts the transfer
   * and `get` rejects with that same error.
   */
  onChunk?: (chunk: Uint8Array) => unknown;
}

export interface FetchResponse {
  /** The URL that answered, after redirects. */
  url: string;
  status: number;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string>>;
  body: Buffer;
  /** Body size in bytes (also counted when streamed to `onChunk`). */
  bytes: number;
}

export interface PackageFetcher {
  /** GET `request.url`; resolves for 2xx only, otherwise rejects with a FetchError. */
  get(request: FetchRequest): Promise<FetchResponse>;
}

export type FetchFailureKind =
  | 'not-found' // 404 or 410
  | 'unauthorized' // 401 or 403: private, or a token is needed (OCI challenge in `headers`)
  | 'rate-limited' // 429
  | 'server-error' // 5xx
  | 'http-status' // any other non-2xx status
  | 'too-large' // body (or announced Content-Length) beyond maxBytes
  | 'timeout' // no complete answer within the per-request time limit
  | 'network' // DNS, connection refused or reset, TLS
  | 'redirect' // too many redirects, or to something other than http(s)
  | 'invalid-url' // the requested URL is not an absolute http(s) URL
  | 'refused' // the host is, or resolves to, an address the address policy refuses (SSRF guard)
  | 'invalid-response'; // a body that is not what the protocol promises (bad JSON, redirect without Location)

/** Failures worth retrying later: the package may well be fine. */
const TRANSIENT_KINDS: ReadonlySet<FetchFailureKind> = new Set(['rate-limited', 'server-error', 'timeout', 'network']);

export class FetchError extends Error {
  constructor(
    readonly kind: FetchFailureKind,
    readonly url: string,
    message: string,
    readonly status: number | null = null,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'FetchError';
  }

  get transient(): boolean {
    return TRANSIENT_KINDS.has(this.kind);
  }
}

/** A request the address policy refused before connecting: says which host, address and range. */
export class RefusedFetchError extends FetchError {
  constructor(
    url: string,
    message: string,
    /** The refused host, and why (address, range, label). */
    readonly refusal: AddressRefusedError,
  ) {
    super('refused', url, message);
  }
}

/** The FetchError for a non-2xx, non-redirect status (shared with the in-memory twin so both agree). */
export function errorForStatus(url: string, status: number, headers: Readonly<Record<string, string>>): FetchError {
  const where = `${describeUrl(url)} answered ${status}`;
  if (status === 404 || status === 410) return new FetchError('not-found', url, where, status, headers);
  if (status === 401 || status === 403) return new FetchError('unauthorized', url, where, status, headers);
  if (status === 429) return new FetchError('rate-limited', url, where, status, headers);
  if (status >= 500) return new FetchError('server-error', url, where, status, headers);
  return new FetchError('http-status', url, where, status, headers);
}

export function tooLarge(url: string, maxBytes: number): FetchError {
  return new FetchError('too-large', url, `${describeUrl(url)} sent more than the limit of ${maxBytes} bytes`);
}

/** GET and parse a JSON document; a body that is not JSON is an `invalid-response` FetchError. */
export async function fetchJson(fetcher: PackageFetcher, url: string, maxBytes: number, headers: Record<string, string> = {}): Promise<{ json: unknown; response: FetchResponse }> {
  const response = await fetcher.get({ url, maxBytes, headers: { accept: 'application/json', ...headers } });
  try {
    return { json: JSON.parse(response.body.toString('utf8')) as unknown, response };
  } catch {
    throw new FetchError('invalid-response', response.url, `${describeUrl(response.url)} did not answer with JSON`, response.status, response.headers);
  }
}

/** A URL for messages: without credentials or query (a token may hide in either). */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return url;
  }
}

export interface NodeHttpFetcherOptions {
  /** Whole-request limit: connection, redirects and body. */
  timeoutMs: number;
  userAgent: string;
  /** Redirects followed before giving up (GitHub release assets and OCI blobs use one). */
  maxRedirects?: number;
  /**
   * Destinations refused (SSRF guard for URLs that come from published data): an IP-literal host
   * is checked before connecting, a host name through a checking `lookup` at connect time, on
   * every redirect hop. Without it, any address is reached (the publisher's verification).
   */
  addressPolicy?: AddressPolicy;
  /** How host names are resolved under `addressPolicy` (default: the system resolver). */
  resolver?: Resolver;
  /**
   * Origins the operator configured (URLs; scheme, host and port count), exempt from
   * `addressPolicy` wherever they resolve (an internal registry mirror, a registry behind an egress
   * proxy). Only a hop to exactly such an origin is exempt: another port of the same host (the
   * mirror's neighbour on 127.0.0.1, an admin port) and a redirect to any other origin are checked
   * like any URL.
   */
  trustedOrigins?: readonly string[];
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const ALLOWED_PROTOCOLS = new Set(['http:', 'https:']);

/** PackageFetcher over Node's global fetch (undici), redirects followed by hand so each one is checked. */
export class NodeHttpFetcher implements PackageFetcher {
  private readonly maxRedirects: number;
  /** Connects through the checking lookup; undefined without an address policy (the global dispatcher). */
  private readonly dispatcher: Agent | undefined;
  /** Connects to the trusted origins, resolving as the system does. */
  private readonly trustedDispatcher: Agent | undefined;
  private readonly trustedOrigins: ReadonlySet<string>;

  constructor(private readonly options: NodeHttpFetcherOptions) {
    this.maxRedirects = options.maxRedirects ?? 3;
    // undici hands `connect` options to net/tls.connect, which call `lookup` for host names and dial
    // exactly what it returns; a pooled connection was made by it too, so none skips the check.
    this.trustedOrigins = new Set((options.trustedOrigins ?? []).map((url) => new URL(url).origin));
    if (options.addressPolicy) {
      this.dispatcher = new Agent({ connect: { lookup: createCheckingLookup(options.addressPolicy, options.resolver) } });
      if (this.trustedOrigins.size > 0) this.trustedDispatcher = new Agent();
    }
  }

  async get(request: FetchRequest): Promise<FetchResponse> {
    let url = parseHttpUrl(request.url, request.url);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMs);
    let from: string | null = null; // the URL that redirected here, for refusal messages
    const failure = (url: string, error: unknown): FetchError => {
      if (error instanceof FetchError) return error;
      const refused = refusalIn(error);
      if (refused) return refusedError(url, from, refused);
      if (timedOut) return new FetchError('timeout', url, `${describeUrl(url)} did not answer within ${this.options.timeoutMs} ms`);
      return new FetchError('network', url, `${describeUrl(url)} could not be reached: ${networkReason(error)}`);
    };
    const headers: Record<string, string> = { ...lowerCaseKeys(request.headers ?? {}), 'user-agent': this.options.userAgent };
    try {
      for (let redirects = 0; ; redirects += 1) {
        // Trust is decided per hop by the whole origin, so it never carries to another port or host.
        const trusted = this.trustedOrigins.has(url.origin);
        // Node connects to an IP literal without calling `lookup`: literals are checked here.
        const literal = this.options.addressPolicy && !trusted ? refusedLiteral(url.hostname, this.options.addressPolicy) : null;
        if (literal) throw refusedError(url.href, from, literal);
        const dispatcher = trusted && this.trustedDispatcher ? this.trustedDispatcher : this.dispatcher;
        let response: Response;
        try {
          const init = { method: 'GET', headers, redirect: 'manual', signal: controller.signal } as const;
          // The guarded Agent goes with the fetch of its own undici package (a matched pair; Node's
          // built-in fetch also turns an error from another realm into a bare Error, losing the refusal).
          response = dispatcher
            ? ((await undiciFetch(url, { ...init, headers, dispatcher })) as unknown as Response)
            : await fetch(url, init);
        } catch (error) {
          throw failure(url.href, error);
        }
        const responseHeaders = headersOf(response);
        if (REDIRECT_STATUSES.has(response.status)) {
          await response.body?.cancel().catch(() => undefined);
          if (redirects >= this.maxRedirects) throw new FetchError('redirect', url.href, `${describeUrl(url.href)} redirected more than ${this.maxRedirects} times`, response.status);
          const location = responseHeaders['location'];
          if (!location) throw new FetchError('invalid-response', url.href, `${describeUrl(url.href)} answered ${response.status} without a Location`, response.status);
          const next = parseHttpUrl(location, url.href, url);
          // A credential meant for one origin must not follow a redirect to another (OCI blob
          // redirects point at CDNs with their own signed URLs).
          if (next.origin !== url.origin) delete headers['authorization'];
          from = url.href;
          url = next;
          continue;
        }
        if (response.status < 200 || response.status > 299) {
          await response.body?.cancel().catch(() => undefined);
          throw errorForStatus(url.href, response.status, responseHeaders);
        }
        const announced = Number(responseHeaders['content-length']);
        if (Number.isFinite(announced) && announced > request.maxBytes) {
          await response.body?.cancel().catch(() => undefined);
          throw tooLarge(url.href, request.maxBytes);
        }
        try {
          const { body, bytes } = await readBody(response, request, url.href, controller);
          return { url: url.href, status: response.status, headers: responseHeaders, body, bytes };
        } catch (error) {
          // The consumer's own error is not a network failure: hand it back untouched.
          if (error instanceof ConsumerError) throw error.cause;
          throw failure(url.href, error);
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Wraps an error thrown by `onChunk` so it is not mistaken for a transfer failure. */
class ConsumerError {
  constructor(readonly cause: unknown) {}
}

async function readBody(response: Response, request: FetchRequest, url: string, controller: AbortController): Promise<{ body: Buffer; bytes: number }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  if (response.body === null) return { body: Buffer.alloc(0), bytes };
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > request.maxBytes) {
      // Aborting closes the connection: the rest of an oversized body is never downloaded.
      controller.abort();
      throw tooLarge(url, request.maxBytes);
    }
    if (request.onChunk) {
      try {
        await request.onChunk(value);
      } catch (error) {
        controller.abort();
        throw new ConsumerError(error);
      }
    } else chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  return { body: Buffer.concat(chunks), bytes };
}

function parseHttpUrl(raw: string, forMessage: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new FetchError(base ? 'invalid-response' : 'invalid-url', forMessage, `'${raw}' is not a valid URL`);
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) {
    if (base) throw new FetchError('redirect', forMessage, `${describeUrl(forMessage)} redirected to a ${url.protocol} URL; only http and https are followed`);
    throw new FetchError('invalid-url', forMessage, `only http and https URLs can be fetched, not ${url.protocol}`);
  }
  return url;
}

function headersOf(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  return headers;
}

function lowerCaseKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** The policy's refusal, wherever undici put it (`fetch failed` wraps the connect error in `cause`). */
function refusalIn(error: unknown): AddressRefusedError | null {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    if (current instanceof AddressRefusedError) return current;
    if (current instanceof AggregateError) return current.errors.map(refusalIn).find((e) => e !== null) ?? null;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** `refused http://10.0.0.1/x: 10.0.0.1 is in 10.0.0.0/8 (private)`, naming the redirect that led there. */
function refusedError(url: string, from: string | null, refusal: AddressRefusedError): RefusedFetchError {
  const via = from ? ` (redirected from ${describeUrl(from)})` : '';
  return new RefusedFetchError(url, `refused ${describeUrl(url)}${via}: ${refusal.message.replace(/^refused address: /, '')}`, refusal);
}

/** undici wraps the useful reason (ECONNREFUSED, ENOTFOUND...) in `cause`. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
