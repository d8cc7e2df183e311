import { type ErrorItem, ToolportError } from '@toolport/contracts';
import type { VersionKey } from '../read-model/catalog-events';
import { decodeCursor } from './cursor';

/** `GET /servers` as the official registry reads it (BEHAVIOUR.md section 1 "List semantics"). */
export interface ListServersQuery {
  cursor: VersionKey | null;
  limit: number;
  /** Case-insensitive substring of the name. */
  search: string | null;
  /** ISO timestamp: only versions updated after it. */
  updatedSince: string | null;
  /** `latest` or an exact version. */
  version: string | null;
  includeDeleted: boolean;
}

export const DEFAULT_LIMIT = 30;
export const MAX_LIMIT = 100;

type RawQuery = Record<string, unknown>;

/** A repeated parameter counts once (its first value); an empty one counts as absent. */
function param(query: RawQuery, name: string): string | null {
  const raw = query[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The official API validates query types with Huma: a wrong type is 422 "validation failed". */
const validationFailed = (errors: ErrorItem[]) => new ToolportError('unprocessable', 'VALIDATION_FAILED', 'validation failed', errors);

function parseLimit(raw: string | null): number {
  if (raw === null) return DEFAULT_LIMIT;
  if (!/^[+-]?\d+$/.test(raw)) throw validationFailed([{ message: 'expected integer', location: 'query.limit', value: raw }]);
  const limit = Number(raw);
  if (limit < 1) throw validationFailed([{ message: 'expected number >= 1', location: 'query.limit', value: limit }]);
  if (limit > MAX_LIMIT) throw validationFailed([{ message: `expected number <= ${MAX_LIMIT}`, location: 'query.limit', value: limit }]);
  return limit;
}

/** Go's strconv.ParseBool, which Huma uses for boolean query parameters. */
export function parseBooleanParam(raw: string | null, name: string): boolean | null {
  if (raw === null) return null;
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(raw)) return false;
  throw validationFailed([{ message: 'expected boolean', location: `query.${name}`, value: raw }]);
}

/** RFC 3339 date-time with a zone, as Go's time.Parse(time.RFC3339) accepts it. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function parseUpdatedSince(raw: string | null): string | null {
  if (raw === null) return null;
  const match = RFC3339.exec(raw);
  const time = Date.parse(raw.toUpperCase());
  // Date.parse rolls 2025-02-30 over to March; a round trip of the date part catches it.
  const valid = match !== null && !Number.isNaN(time) && Number(match[4]) < 24 && Number(match[5]) < 60 && Number(match[6]) < 60 && sameDate(match);
  if (!valid) {
    throw new ToolportError('invalid', 'INVALID_UPDATED_SINCE', 'Invalid updated_since format: expected RFC3339 timestamp (e.g. 2025-08-07T13:15:04.280Z)', [
      { message: 'not an RFC3339 date-time', location: 'query.updated_since', value: raw },
    ]);
  }
  return new Date(time).toISOString();
}

function sameDate(match: RegExpExecArray): boolean {
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Unknown parameters are ignored, as upstream does. */
export function parseListServersQuery(query: RawQuery): ListServersQuery {
  const limit = parseLimit(param(query, 'limit'));
  const includeDeletedParam = parseBooleanParam(param(query, 'include_deleted'), 'include_deleted');
  const updatedSince = parseUpdatedSince(param(query, 'updated_since'));
  // Upstream: updated_since forces include_deleted (a poller must learn of deletions); saying
  // include_deleted=false at the same time is a contradiction, refused.
  if (updatedSince !== null && includeDeletedParam === false) {
    throw new ToolportError('invalid', 'INCLUDE_DELETED_CONFLICT', 'include_deleted cannot be false when updated_since is set: updated_since always includes deleted versions', [
      { message: 'remove include_deleted or set it to true', location: 'query.include_deleted', value: 'false' },
    ]);
  }
  const cursor = param(query, 'cursor');
  return {
    cursor: cursor === null ? null : decodeCursor(cursor),
    limit,
    search: param(query, 'search'),
    updatedSince,
    version: param(query, 'version'),
    includeDeleted: updatedSince !== null || includeDeletedParam === true,
  };
}

/** `include_deleted` of the per-server endpoints (default false). */
export function parseIncludeDeleted(query: RawQuery): boolean {
  return parseBooleanParam(param(query, 'include_deleted'), 'include_deleted') ?? false;
}
