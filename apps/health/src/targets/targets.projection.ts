import { type DataOf, type McpTool, toolListHash, type LatestVersionChanged, type VersionApproved, type ApprovalRevoked, type VersionPublished, type VersionStatusChanged } from '@toolport/contracts';
import type { ConsumedEvent } from '@toolport/messaging';
import type { PoolClient } from 'pg';
import { targetsChannel } from './health.migrations';
import { targetsOf } from './target';

/**
 * The targets read model (health.migrations.ts), applied inside the consumer's transaction with
 * its checkpoint. Every change NOTIFYs the targets channel, which PostgreSQL delivers at commit:
 * the scheduler then reconciles its job schedulers with what is committed (scheduling/).
 */
export class TargetsProjection {
  constructor(private readonly schema: string) {}

  async handle(event: ConsumedEvent, tx: PoolClient): Promise<void> {
    const s = this.schema;
    switch (event.type) {
      case 'VersionPublished': {
        const d = event.data as DataOf<typeof VersionPublished>;
        const declared = d.tools as McpTool[];
        await tx.query(
          `INSERT INTO ${s}.versions (server_name, version, status, is_latest, declared_tools, declared_list_hash, published_at)
           VALUES ($1, $2, 'active', false, $3::jsonb, $4, $5) ON CONFLICT (server_name, version) DO NOTHING`,
          [d.serverName, d.version, JSON.stringify(declared), toolListHash(declared), d.publishedAt],
        );
        for (const t of targetsOf(d.serverName, d.version, d.server)) {
          await tx.query(
            `INSERT INTO ${s}.targets (target_id, server_name, version, remote_index, transport, remote_url, remote, active, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, true, $8) ON CONFLICT (target_id) DO NOTHING`,
            [t.targetId, t.serverName, t.version, t.remoteIndex, t.transport, t.remoteUrl, JSON.stringify(t.remote), d.publishedAt],
          );
        }
        if (d.isLatest) await this.setLatest(tx, d.serverName, d.version);
        break;
      }
      case 'VersionStatusChanged': {
        const d = event.data as DataOf<typeof VersionStatusChanged>;
        await tx.query(`UPDATE ${s}.versions SET status = $3 WHERE server_name = $1 AND version = $2`, [d.serverName, d.version, d.status]);
        // A deleted version is no longer probed; deprecated ones still are (clients may still use them).
        await tx.query(`UPDATE ${s}.targets SET active = $3 WHERE server_name = $1 AND version = $2`, [d.serverName, d.version, d.status !== 'deleted']);
        break;
      }
      case 'LatestVersionChanged': {
        const d = event.data as DataOf<typeof LatestVersionChanged>;
        await this.setLatest(tx, d.serverName, d.latest);
        return; // probing does not depend on which version is latest
      }
      case 'VersionApproved': {
        const d = event.data as DataOf<typeof VersionApproved>;
        await tx.query(
          `INSERT INTO ${s}.approvals (server_name, version, tools, list_hash, approved_at) VALUES ($1, $2, $3::jsonb, $4, $5)
           ON CONFLICT (server_name, version) DO UPDATE SET tools = EXCLUDED.tools, list_hash = EXCLUDED.list_hash, approved_at = EXCLUDED.approved_at`,
          [d.serverName, d.version, JSON.stringify(d.tools), d.toolListHash, d.approvedAt],
        );
        return;
      }
      case 'ApprovalRevoked': {
        const d = event.data as DataOf<typeof ApprovalRevoked>;
        // Back to the declared tools as the baseline.
        await tx.query(`DELETE FROM ${s}.approvals WHERE server_name = $1 AND version = $2`, [d.serverName, d.version]);
        return;
      }
      default:
        return;
    }
    await tx.query('SELECT pg_notify($1, $2)', [targetsChannel(s), String(event.globalPosition)]);
  }

  private async setLatest(tx: PoolClient, serverName: string, latest: string | null): Promise<void> {
    await tx.query(`UPDATE ${this.schema}.versions SET is_latest = (version = $2) WHERE server_name = $1 AND is_latest <> (version IS NOT DISTINCT FROM $2)`, [serverName, latest]);
  }
}
