import type { Actor, CompatibilityReport, McpTool } from '@toolport/contracts';
import { unstorableCharacterIn } from '@toolport/platform';
import type { Pool } from 'pg';
import type { ScanState } from '../scans/scan';
import { scanView, type ScanView } from '../scans/scan-view';
import type { ReviewDecision, ReviewHistoryEntry, ReviewState } from './review';
import { diffTools, type ToolDiff } from './tool-diff';

export interface ReviewItem {
  serverName: string;
  version: string;
  versionStatus: string;
  publishedAt: string;
  publishedBy: Actor;
  decision: ReviewDecision;
  reviewHistory: ReviewHistoryEntry[];
  scan: ScanView;
  compatibility: CompatibilityReport;
  /** The declared tools against the server's last approved version (another version than this one). */
  toolDiff: ToolDiff;
}

export interface ReviewPage {
  items: ReviewItem[];
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

interface Row {
  server_name: string;
  version: string;
  tools: McpTool[];
  compatibility: CompatibilityReport;
  status: string;
  published_by: Actor;
  published_at: Date;
  scan: ScanState | null;
  review: ReviewState | null;
}

export const encodeCursor = (serverName: string, version: string): string => Buffer.from(JSON.stringify([serverName, version])).toString('base64url');

export function decodeCursor(cursor: string): [string, string] | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // A NUL (or unpaired surrogate) is in no name this API returned; PostgreSQL would refuse it with a 500.
    return Array.isArray(parsed) && parsed.length === 2 && parsed.every((p) => typeof p === 'string' && unstorableCharacterIn(p) === null) ? (parsed as [string, string]) : null;
  } catch {
    return null;
  }
}

/** The review queue: versions by decision, in name/version order, keyset-paged. Deleted versions are left out. */
export class ReviewQueue {
  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {}

  async list(decision: ReviewDecision, limit: number, after: [string, string] | null): Promise<ReviewPage> {
    const s = this.schema;
    const { rows } = await this.pool.query<Row>(
      `SELECT v.server_name, v.version, v.tools, v.compatibility, v.status, v.published_by, v.published_at, sc.state AS scan, r.state AS review
       FROM ${s}.scan_versions v
       LEFT JOIN ${s}.scan_state sc USING (server_name, version)
       LEFT JOIN ${s}.review_state r USING (server_name, version)
       WHERE COALESCE(r.decision, 'pending') = $1 AND v.status <> 'deleted' AND (v.server_name, v.version) > ($2, $3)
       ORDER BY v.server_name, v.version LIMIT $4`,
      [decision, after?.[0] ?? '', after?.[1] ?? '', limit + 1],
    );
    const page = rows.slice(0, limit);
    const approved = await this.approvedVersions([...new Set(page.map((r) => r.server_name))]);
    const items = page.map((row): ReviewItem => {
      const previous = (approved.get(row.server_name) ?? []).find((a) => a.version !== row.version) ?? null;
      return {
        serverName: row.server_name,
        version: row.version,
        versionStatus: row.status,
        publishedAt: row.published_at.toISOString(),
        publishedBy: row.published_by,
        decision: row.review?.decision ?? 'pending',
        reviewHistory: row.review?.history ?? [],
        scan: scanView(row.scan),
        compatibility: row.compatibility,
        toolDiff: diffTools(previous, row.tools),
      };
    });
    const last = page[page.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.server_name, last.version) : null };
  }

  /** Approved versions of these servers, most recently approved first, with their declared tools. */
  private async approvedVersions(serverNames: string[]): Promise<Map<string, { version: string; tools: McpTool[] }[]>> {
    const byServer = new Map<string, { version: string; tools: McpTool[] }[]>();
    if (serverNames.length === 0) return byServer;
    const { rows } = await this.pool.query<{ server_name: string; version: string; tools: McpTool[] }>(
      `SELECT r.server_name, r.version, v.tools FROM ${this.schema}.review_state r JOIN ${this.schema}.scan_versions v USING (server_name, version)
       WHERE r.decision = 'approved' AND r.server_name = ANY($1) ORDER BY r.updated_at DESC, r.version DESC`,
      [serverNames],
    );
    for (const row of rows) byServer.set(row.server_name, [...(byServer.get(row.server_name) ?? []), { version: row.version, tools: row.tools }]);
    return byServer;
  }
}
