import { type ErrorItem, ToolportError } from '@toolport/contracts';
import type { RecordFilter } from '../audit-log/record-filter';

/** A query string as Fastify parses it: a repeated key arrives as an array. */
export type RawQuery = Readonly<Record<string, unknown>>;

export interface RecordsQuery {
  filter: RecordFilter;
  /** Records after this seq (0: from the start). */
  after: number;
  limit: number;
}

export type ExportFormat = 'jsonl' | 'csv';

export interface ExportQuery {
  filter: RecordFilter;
  after: number;
  format: ExportFormat;
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
const FILTER_KEYS = ['actor', 'server', 'type', 'from', 'to'] as const;
/** A calendar date, or a date-time with a zone (RFC 3339): a bare local time would mean the server's zone. */
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Collects every problem of one query string, then fails once with all of them (400 problem+json). */
class QueryReader {
  readonly errors: ErrorItem[] = [];
  constructor(
    private readonly query: RawQuery,
    allowed: readonly string[],
  ) {
    for (const key of Object.keys(query)) {
      // A misspelt filter (`?server_name=`) would silently widen an auditor's answer to everything.
      if (!allowed.includes(key)) this.errors.push({ message: `unknown parameter (allowed: ${allowed.join(', ')})`, location: `query.${key}` });
    }
  }

  text(key: string, maxLength = 512): string | undefined {
    const value = this.query[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') return this.fail(key, 'must be given once', value);
    if (value === '' || value.length > maxLength) return this.fail(key, `must be 1 to ${maxLength} characters`, value);
    return value;
  }

  integer(key: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const raw = this.text(key, 20);
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) return this.fail(key, `must be an integer from ${min} to ${max}`, raw);
    return Number(raw);
  }

  instant(key: string): Date | undefined {
    const raw = this.text(key, 64);
    if (raw === undefined) return undefined;
    const time = Date.parse(raw);
    if (!INSTANT_PATTERN.test(raw) || Number.isNaN(time)) return this.fail(key, 'must be an RFC 3339 date-time with a zone (2025-01-31T12:00:00Z) or a date', raw);
    return new Date(time);
  }

  done(): void {
    if (this.errors.length > 0) {
      throw new ToolportError('invalid', 'INVALID_QUERY', `invalid query: ${this.errors.map((e) => `${e.location} ${e.message}`).join('; ')}`, this.errors);
    }
  }

  private fail(key: string, message: string, value: unknown): undefined {
    this.errors.push({ message, location: `query.${key}`, value });
    return undefined;
  }
}

function readFilter(read: QueryReader): RecordFilter {
  const filter: RecordFilter = {};
  const actor = read.text('actor');
  const server = read.text('server', 200);
  const type = read.text('type', 200);
  const from = read.instant('from');
  const to = read.instant('to');
  if (actor !== undefined) filter.actor = actor;
  if (server !== undefined) filter.server = server;
  if (type !== undefined) filter.type = type;
  if (from !== undefined) filter.from = from;
  if (to !== undefined) filter.to = to;
  if (from && to && from.getTime() >= to.getTime()) read.errors.push({ message: 'must be before to', location: 'query.from' });
  return filter;
}

/** `?actor=&server=&type=&from=&to=&cursor=&limit=`; the cursor is the seq of the last record seen. */
export function parseRecordsQuery(query: RawQuery): RecordsQuery {
  const read = new QueryReader(query, [...FILTER_KEYS, 'cursor', 'limit']);
  const filter = readFilter(read);
  const after = read.integer('cursor', 0) ?? 0;
  const limit = read.integer('limit', 1, MAX_LIMIT) ?? DEFAULT_LIMIT;
  read.done();
  return { filter, after, limit };
}

/** `?format=jsonl|csv` and the records filters; `cursor` resumes an interrupted export. */
export function parseExportQuery(query: RawQuery): ExportQuery {
  const read = new QueryReader(query, [...FILTER_KEYS, 'cursor', 'format']);
  const filter = readFilter(read);
  const after = read.integer('cursor', 0) ?? 0;
  const format = read.text('format', 10) ?? 'jsonl';
  if (format !== 'jsonl' && format !== 'csv') read.errors.push({ message: 'must be jsonl or csv', location: 'query.format', value: format });
  read.done();
  return { filter, after, format: format as ExportFormat };
}

/** One positive integer path or query value (`seq`, `treeSize`, `first`, `second`). */
export function parsePositiveInteger(raw: unknown, location: string): number {
  if (typeof raw !== 'string' || !/^\d{1,16}$/.test(raw) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
    throw new ToolportError('invalid', 'INVALID_QUERY', `${location} must be a positive integer`, [{ message: 'must be a positive integer', location, value: raw }]);
  }
  return Number(raw);
}

/** Rejects query parameters a route does not take. */
export function assertOnlyParameters(query: RawQuery, allowed: readonly string[]): void {
  new QueryReader(query, allowed).done();
}
