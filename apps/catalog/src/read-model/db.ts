import type { QueryResult, QueryResultRow } from 'pg';

/** A pool or a client inside a transaction: read-model code runs on either. */
export interface Db {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

/** A timestamptz column (node-postgres gives a Date) as the ISO string the API and events use. */
export const iso = (value: Date | string | null): string | null => (value === null ? null : value instanceof Date ? value.toISOString() : new Date(value).toISOString());
export const isoRequired = (value: Date | string): string => iso(value)!;
