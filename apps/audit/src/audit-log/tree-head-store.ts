import { withTransaction } from '@toolport/event-store';
import type { Pool, PoolClient } from 'pg';
import type { SignedTreeHead } from '../transparency-log';
import { asAuditWriter, withAuditWriter } from './audit-writer-role';

interface HeadRow {
  tree_size: string;
  root_hash: string;
  signed_at: string;
  signature: string;
  key_id: string;
}

const HEAD_COLUMNS = 'tree_size, root_hash, signed_at, signature, key_id';

const headOfRow = (row: HeadRow): SignedTreeHead => ({
  treeSize: Number(row.tree_size),
  rootHash: row.root_hash,
  timestamp: row.signed_at,
  signature: row.signature,
  keyId: row.key_id,
});

/** The signed tree heads, one per tree size, never changed once stored. */
export class TreeHeadStore {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {
    this.table = `${schema}.tree_heads`;
  }

  /** Stores the head unless one of its size exists; true when this call stored it. */
  async insertInTransaction(tx: PoolClient, head: SignedTreeHead): Promise<boolean> {
    return asAuditWriter(tx, this.schema, async () => {
      const result = await tx.query(
        `INSERT INTO ${this.table} (tree_size, root_hash, signed_at, signature, key_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tree_size) DO NOTHING`,
        [head.treeSize, head.rootHash, head.timestamp, head.signature, head.keyId],
      );
      return result.rowCount === 1;
    });
  }

  async latestInTransaction(tx: PoolClient): Promise<SignedTreeHead | null> {
    return asAuditWriter(tx, this.schema, async () => {
      const { rows } = await tx.query<HeadRow>(`SELECT ${HEAD_COLUMNS} FROM ${this.table} ORDER BY tree_size DESC LIMIT 1`);
      return rows[0] ? headOfRow(rows[0]) : null;
    });
  }

  latest(): Promise<SignedTreeHead | null> {
    return withTransaction(this.pool, (tx) => this.latestInTransaction(tx));
  }

  async ofSize(treeSize: number): Promise<SignedTreeHead | null> {
    const rows = await withAuditWriter(this.pool, this.schema, async (tx) => (await tx.query<HeadRow>(`SELECT ${HEAD_COLUMNS} FROM ${this.table} WHERE tree_size = $1`, [treeSize])).rows);
    return rows[0] ? headOfRow(rows[0]) : null;
  }

  /** Heads with tree size in (after, ∞), smallest first, at most `limit`. */
  async after(after: number, limit: number): Promise<SignedTreeHead[]> {
    const rows = await withAuditWriter(this.pool, this.schema, async (tx) =>
      (await tx.query<HeadRow>(`SELECT ${HEAD_COLUMNS} FROM ${this.table} WHERE tree_size > $1 ORDER BY tree_size LIMIT $2`, [after, limit])).rows,
    );
    return rows.map(headOfRow);
  }
}
