import type { AuditRecord, ConsistencyProofResponse, InclusionProofResponse, SignedTreeHead } from '../transparency-log/log-format';
import { SHAPES, type Shape } from './response-shapes';

/** What the verifier asks the audit service; an interface so the checks can be driven by anything. */
export interface AuditApi {
  latestHead(): Promise<SignedTreeHead>;
  headAt(treeSize: number): Promise<SignedTreeHead>;
  record(seq: number): Promise<AuditRecord>;
  inclusionProof(seq: number, treeSize: number): Promise<InclusionProofResponse>;
  consistencyProof(first: number, second: number): Promise<ConsistencyProofResponse>;
}

/** A request that failed: its message is one line naming the URL and what went wrong. */
export class AuditApiError extends Error {
  override readonly name = 'AuditApiError';
}

export interface HttpAuditApiOptions {
  baseUrl: string;
  token: string | null;
  timeoutMs: number;
  fetch?: typeof globalThis.fetch;
}

/** The audit service's HTTP API (routes under /api/v1/audit), read with Node's fetch. */
export class HttpAuditApi implements AuditApi {
  private readonly base: string;
  private readonly fetch: typeof globalThis.fetch;

  constructor(private readonly options: HttpAuditApiOptions) {
    // A trailing slash keeps a path prefix of the base URL (a service behind /audit-proxy/).
    this.base = options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  latestHead(): Promise<SignedTreeHead> {
    return this.get('api/v1/audit/heads/latest', SHAPES.signedTreeHead);
  }

  headAt(treeSize: number): Promise<SignedTreeHead> {
    return this.get(`api/v1/audit/heads?treeSize=${treeSize}`, SHAPES.signedTreeHead);
  }

  record(seq: number): Promise<AuditRecord> {
    return this.get(`api/v1/audit/records/${seq}`, SHAPES.auditRecord);
  }

  inclusionProof(seq: number, treeSize: number): Promise<InclusionProofResponse> {
    return this.get(`api/v1/audit/records/${seq}/proof?treeSize=${treeSize}`, SHAPES.inclusionProof);
  }

  consistencyProof(first: number, second: number): Promise<ConsistencyProofResponse> {
    return this.get(`api/v1/audit/consistency?first=${first}&second=${second}`, SHAPES.consistencyProof);
  }

  private async get<T>(path: string, shape: Shape<T>): Promise<T> {
    const url = new URL(path, this.base).toString();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.options.token) headers['authorization'] = `Bearer ${this.options.token}`;
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(url, { headers, signal: AbortSignal.timeout(this.options.timeoutMs) });
      text = await response.text();
    } catch (error) {
      throw new AuditApiError(`GET ${url} failed: ${describeFetchError(error)}`);
    }
    if (!response.ok) throw new AuditApiError(`GET ${url} answered ${response.status}${problemDetail(text)}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new AuditApiError(`GET ${url} answered something that is not JSON`);
    }
    const problem = shape.problem(body);
    if (problem) throw new AuditApiError(`GET ${url} answered no ${shape.name}: ${problem}`);
    return body as T;
  }
}

/** fetch wraps the reason (ECONNREFUSED, a timeout) in `cause`; that is the useful part. */
function describeFetchError(error: unknown): string {
  const err = error as Error & { cause?: { message?: string; code?: string } };
  if (err.name === 'TimeoutError') return 'no answer before the timeout';
  return err.cause?.code ?? err.cause?.message ?? err.message;
}

/** ": <detail>" from an RFC 9457 problem+json body, or the start of a plain body. */
function problemDetail(text: string): string {
  try {
    const body = JSON.parse(text) as { detail?: unknown; title?: unknown };
    const detail = typeof body.detail === 'string' ? body.detail : typeof body.title === 'string' ? body.title : null;
    if (detail) return `: ${detail}`;
  } catch {
    // not JSON: fall through to the raw text
  }
  const line = text.trim().split('\n')[0]?.slice(0, 200) ?? '';
  return line ? `: ${line}` : '';
}
