import { CATALOG_TABLES } from '../read-model/read-model.migrations';
import type { Db } from '../read-model/db';

export interface ReadModelCounts {
  servers: number;
  versions: number;
  tools: number;
  active: number;
  deprecated: number;
  deleted: number;
  scanned: number;
  approved: number;
  rejected: number;
  revoked: number;
  awaitingReview: number;
  withHealth: number;
  drifted: number;
}

/** What the read model holds, in figures: printed by `catalog:rebuild`, compared by tests. */
export async function readModelCounts(db: Db, schema: string): Promise<ReadModelCounts> {
  const t = CATALOG_TABLES;
  const { rows } = await db.query<Record<keyof ReadModelCounts, string>>(
    `SELECT
       (SELECT count(*) FROM ${schema}.${t.servers}) AS servers,
       count(*) AS versions,
       (SELECT count(*) FROM ${schema}.${t.tools}) AS tools,
       count(*) FILTER (WHERE v.status = 'active') AS active,
       count(*) FILTER (WHERE v.status = 'deprecated') AS deprecated,
       count(*) FILTER (WHERE v.status = 'deleted') AS deleted,
       count(*) FILTER (WHERE s.scan_status = 'completed') AS scanned,
       count(*) FILTER (WHERE s.approval = 'approved') AS approved,
       count(*) FILTER (WHERE s.approval = 'rejected') AS rejected,
       count(*) FILTER (WHERE s.approval = 'revoked') AS revoked,
       count(*) FILTER (WHERE s.approval IS NULL OR s.approval = 'pending') AS "awaitingReview",
       count(*) FILTER (WHERE h.status IS NOT NULL) AS "withHealth",
       count(*) FILTER (WHERE h.drift_detected_at IS NOT NULL) AS drifted
     FROM ${schema}.${t.versions} v
     LEFT JOIN ${schema}.${t.security} s ON s.server_name = v.server_name AND s.version = v.version
     LEFT JOIN ${schema}.${t.health} h ON h.server_name = v.server_name AND h.version = v.version`,
  );
  return Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k, Number(v)])) as unknown as ReadModelCounts;
}
