import { Type, type Static } from '@sinclair/typebox';
import { collectIssues, createAjv, type ErrorItem, ToolportError } from '@toolport/contracts';
import { patternProblem, ROLES, type Permission, type Role } from '../permissions';

/**
 * Body of `POST /api/v1/tokens`. Roles are an `enum` (not the contracts' union of literals) so
 * a wrong one yields one readable error instead of one per alternative.
 */
const IssueTokenBodySchema = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: 256, pattern: '^[A-Za-z0-9][A-Za-z0-9._@:/+-]*$' }),
    roles: Type.Array(Type.Unsafe<Role>({ type: 'string', enum: [...ROLES] }), { minItems: 1, uniqueItems: true }),
    namespaces: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 100, uniqueItems: true })),
    expiresIn: Type.Optional(Type.Unsafe<string | number>({ type: ['string', 'integer'] })),
  },
  { additionalProperties: false },
);
type IssueTokenBody = Static<typeof IssueTokenBodySchema>;

const validateBody = createAjv().compile(IssueTokenBodySchema);

/** Lifetime of a token whose request names none: a month, or the maximum if that is shorter. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 30 * 24 * 60 * 60;

export interface ParsedTokenRequest {
  subject: string;
  roles: Role[];
  /** One `publish` permission per requested namespace pattern. */
  permissions: Permission[];
  lifetimeSeconds: number;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/**
 * `expiresIn` as seconds: a positive integer, or a string such as `3600`, `90m`, `12h`, `30d`, `2w`.
 * Null when it is not one of these.
 */
export function parseExpiresIn(value: string | number): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? value : null;
  const match = /^(\d{1,9})([smhdw]?)$/.exec(value.trim());
  if (!match) return null;
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2] || 's']!;
  return seconds > 0 ? seconds : null;
}

/** Checks the body's shape and turns it into what the IssueToken command needs; per-field errors otherwise. */
export function parseIssueTokenRequest(body: unknown, defaultLifetimeSeconds: number): ParsedTokenRequest {
  const problems: ErrorItem[] = [];
  for (const issue of collectIssues(validateBody, body)) {
    const location = issue.path === '' ? 'body' : issue.path;
    // One message per field: an empty subject fails both minLength and pattern.
    if (!problems.some((p) => p.location === location)) problems.push({ location, message: issue.message });
  }
  if (problems.length > 0) throw invalid(problems);
  const valid = body as IssueTokenBody;

  const namespaces = valid.namespaces ?? [];
  namespaces.forEach((pattern, i) => {
    const problem = patternProblem(pattern);
    if (problem) problems.push({ location: `namespaces[${i}]`, message: problem, value: pattern });
  });
  const lifetimeSeconds = valid.expiresIn === undefined ? defaultLifetimeSeconds : parseExpiresIn(valid.expiresIn);
  if (lifetimeSeconds === null) {
    problems.push({
      location: 'expiresIn',
      message: 'must be a positive number of seconds, or a duration such as 90m, 12h, 30d or 2w',
      value: valid.expiresIn,
    });
  }
  if (problems.length > 0 || lifetimeSeconds === null) throw invalid(problems);
  return {
    subject: valid.subject,
    roles: valid.roles,
    permissions: namespaces.map((resource) => ({ action: 'publish', resource })),
    lifetimeSeconds,
  };
}

function invalid(problems: ErrorItem[]): ToolportError {
  return new ToolportError(
    'invalid',
    'TOKEN_REQUEST_INVALID',
    `The token request is invalid: ${problems.map((p) => `${p.location} ${p.message}`).join('; ')}`,
    problems,
  );
}
