/**
 * Errors carry a kind and a stable code; the HTTP edge maps the kind to a status and renders
 * problem+json (libs/platform). Domain code never speaks HTTP.
 */
export type ErrorKind =
  | 'invalid' // 400: the request is malformed or breaks a rule
  | 'unprocessable' // 422: well-formed but fails validation (official registry uses 422 for schema failures)
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'too_large' // 413
  | 'rate_limited' // 429
  | 'unavailable'; // 503

export interface ErrorItem {
  message: string;
  /** Where the fault is: a JSON path into the body (`packages[0].version`), or `query.limit`, `path.serverName`. */
  location?: string;
  value?: unknown;
}

export class ToolportError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    readonly detail: string,
    readonly errors: ErrorItem[] = [],
  ) {
    super(detail);
    this.name = 'ToolportError';
  }
}
