import { errorForStatus, FetchError, type FetchFailureKind, type FetchRequest, type FetchResponse, type PackageFetcher, tooLarge } from './http-fetcher';

export interface StubResponse {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON. */
  body?: string | Buffer | object;
}

type Route = StubResponse | FetchError | ((request: FetchRequest) => StubResponse | FetchError);

/**
 * In-memory twin of PackageFetcher for unit tests: answers from a table of exact URLs (404 for
 * anything else) with the same status-to-error mapping and byte limit as NodeHttpFetcher.
 */
export class InMemoryPackageFetcher implements PackageFetcher {
  readonly requests: FetchRequest[] = [];
  private readonly routes = new Map<string, Route>();

  on(url: string, route: Route): this {
    this.routes.set(url, route);
    return this;
  }

  /** Makes `url` fail the way a real transfer would (timeout, network...). */
  failWith(url: string, kind: FetchFailureKind, message = `${kind} (in-memory)`): this {
    return this.on(url, new FetchError(kind, url, message));
  }

  async get(request: FetchRequest): Promise<FetchResponse> {
    this.requests.push(request);
    const route = this.routes.get(request.url);
    const answer: StubResponse | FetchError = typeof route === 'function' ? route(request) : (route ?? { status: 404, body: { error: 'Not Found' } });
    if (answer instanceof FetchError) throw answer;
    const status = answer.status ?? 200;
    const headers: Record<string, string> = Object.fromEntries(Object.entries(answer.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
    if (status < 200 || status > 299) throw errorForStatus(request.url, status, headers);
    const body = toBuffer(answer.body);
    if (body.byteLength > request.maxBytes) throw tooLarge(request.url, request.maxBytes);
    if (request.onChunk) {
      // Several chunks, so that streaming consumers are exercised as with a real transfer.
      for (let offset = 0; offset < body.byteLength; offset += 7) await request.onChunk(body.subarray(offset, offset + 7));
    }
    return { url: request.url, status, headers, body: request.onChunk ? Buffer.alloc(0) : body, bytes: body.byteLength };
  }
}

function toBuffer(body: StubResponse['body']): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
}
