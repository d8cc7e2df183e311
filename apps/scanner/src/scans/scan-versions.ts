import type { Actor, CompatibilityReport, DataOf, McpTool, VersionPublished, VersionStatusChanged } from '@toolport/contracts';
import type { Pool, PoolClient } from 'pg';
import type { ScanTarget } from '../scan-engine/scan-engine';

export type VersionStatus = DataOf<typeof VersionStatusChanged>['status'];

/** One row of `scan_versions`: a published version as the scanner knows it. */
export interface ScannedVersion extends ScanTarget {
  compatibility: CompatibilityReport;
  status: VersionStatus;
  /** The actor of the VersionPublished event: who published this version. */
  publishedBy: Actor;
  publishedAt: string;
  /** Whether VersionPublished proves package ownership (see scoring/trust-level.ts). */
  ownershipVerified: boolean;
}

interface VersionRow {
  server_name: string;
  version: string;
  server_json: Record<string, unknown>;
  tools: McpTool[];
  compatibility: CompatibilityReport;
  status: VersionStatus;
  published_by: Actor;
  published_at: Date;
  ownership_verified: boolean;
}

const toVersion = (row: VersionRow): ScannedVersion => ({
  serverName: row.server_name,
  version: row.version,
  server: row.server_json,
  declaredTools: row.tools,
  compatibility: row.compatibility,
  status: row.status,
  publishedBy: row.published_by,
  publishedAt: row.published_at.toISOString(),
  ownershipVerified: row.ownership_verified,
});

/**
 * Whether the event proves the publisher verified ownership of every package: only its
 * `ownershipVerified: true` does. A publish with verification switched off (or older events,
 * written before the field existed) passed no check and proves nothing.
 */
function ownershipProved(data: DataOf<typeof VersionPublished>): boolean {
  return data.ownershipVerified === true;
}

/** The scanner's projection of the publisher's versions (table `scan_versions`). */
export class ScanVersions {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  async recordPublished(tx: PoolClient, data: DataOf<typeof VersionPublished>, publishedBy: Actor): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.schema}.scan_versions (server_name, version, server_json, tools, compatibility, status, published_by, published_at, ownership_verified)
       VALUES ($1, $2, $3, $4, $5, 'active', $6, $7, $8)
       ON CONFLICT (server_name, version) DO NOTHING`,
      [data.serverName, data.version, JSON.stringify(data.server), JSON.stringify(data.tools), JSON.stringify(data.compatibility), JSON.stringify(publishedBy), data.publishedAt, ownershipProved(data)],
    );
  }

  async recordStatus(tx: PoolClient, data: DataOf<typeof VersionStatusChanged>): Promise<void> {
    await tx.query(`UPDATE ${this.schema}.scan_versions SET status = $3 WHERE server_name = $1 AND version = $2`, [data.serverName, data.version, data.status]);
  }

  async get(serverName: string, version: string): Promise<ScannedVersion | null> {
    const { rows } = await this.pool.query<VersionRow>(`SELECT * FROM ${this.schema}.scan_versions WHERE server_name = $1 AND version = $2`, [serverName, version]);
    return rows[0] ? toVersion(rows[0]) : null;
  }
}
