/** Which records a query or an export covers; every field narrows. */
export interface RecordFilter {
  /** Exact actor id ("alice", "ci-bot", "scanner"). */
  actor?: string;
  /** Exact server name the record is about. */
  server?: string;
  /** Exact event type. */
  type?: string;
  /** occurredAt >= from. */
  from?: Date;
  /** occurredAt < to. */
  to?: Date;
}

/**
 * The WHERE conditions of a filter over `audit_records`, with parameters numbered from
 * `firstParameter`. Values are always bound, never interpolated.
 */
export function filterConditions(filter: RecordFilter, firstParameter: number): { conditions: string[]; parameters: unknown[] } {
  const conditions: string[] = [];
  const parameters: unknown[] = [];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    parameters.push(value);
    conditions.push(sql(`$${firstParameter + parameters.length - 1}`));
  };
  if (filter.actor !== undefined) add((p) => `actor_id = ${p}`, filter.actor);
  if (filter.server !== undefined) add((p) => `server_name = ${p}`, filter.server);
  if (filter.type !== undefined) add((p) => `type = ${p}`, filter.type);
  if (filter.from !== undefined) add((p) => `occurred_at_ts >= ${p}`, filter.from);
  if (filter.to !== undefined) add((p) => `occurred_at_ts < ${p}`, filter.to);
  return { conditions, parameters };
}
