/**
 * RFC 9457 problem details, in the shape the official registry returns
 * (`{title, status, detail, errors:[{message, location?}]}`), plus Toolport's `type` and `code`.
 */
export interface ProblemDetails {
  type?: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** Stable, machine-readable code (e.g. `TOKEN_EXPIRED`). */
  code?: string;
  errors?: Array<{ message: string; location?: string; value?: unknown }>;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
