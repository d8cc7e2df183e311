import { createHash } from 'node:crypto';
import { type CommandContext, TreeHeadSigned, uuidv7 } from '@toolport/contracts';
import { type PostgresEventStore, withTransaction } from '@toolport/event-store';
import type { Logger } from '@toolport/observability';
import type { Pool } from 'pg';
import { MerkleAccumulator, type SignedTreeHead, signTreeHead } from '../transparency-log';
import type { AuditRecordStore } from './audit-record-store';
import type { HeadSigningKey } from './audit-signing-keys';
import { auditMetrics } from './audit-metrics';
import type { TreeHeadStore } from './tree-head-store';

/** When heads are signed: at every multiple of `everyRecords`, and after `intervalSeconds` when the tree grew. */
export interface TreeHeadPolicy {
  everyRecords: number;
  intervalSeconds: number;
}

export interface TreeHeadSignerOptions {
  pool: Pool;
  schema: string;
  records: AuditRecordStore;
  heads: TreeHeadStore;
  /** The audit service's own event store: TreeHeadSigned goes there and, through the relay, to the audit stream. */
  events: PostgresEventStore;
  key: HeadSigningKey;
  policy: TreeHeadPolicy;
  logger: Logger;
  clock?: () => Date;
  /** How often the signer looks for new records (default 1000 ms). */
  pollMs?: number;
}

/** The stream of the audit's own events that the heads are appended to. */
export const TREE_HEAD_STREAM = 'audit-log';
const LEAF_BATCH = 5000;
const SERVICE_ACTOR = { kind: 'service', id: 'audit' } as const;

/**
 * Signs tree heads over the records as they are committed. The root is kept incrementally in a
 * MerkleAccumulator fed with the stored leaf hashes (only committed records are ever read, so a
 * rolled-back ingest cannot leave the tree ahead of the table); at start it is rebuilt from all
 * of them (100,000 leaves: well under a second, see bench/audit).
 *
 * A head is signed at each multiple of `everyRecords` the tree passes, so heads land on the same
 * sizes whatever the ingest rate, and after `intervalSeconds` for a tree that grew since the last
 * head. Each head is stored and appended as TreeHeadSigned in one transaction. Replicas each run a
 * signer: an advisory lock makes one sign at a time, and a head is only signed for a size beyond
 * the latest stored one.
 */
export class TreeHeadSigner {
  private readonly accumulator = new MerkleAccumulator();
  private readonly clock: () => Date;
  private readonly lockKey: string;
  private lastSigned: { treeSize: number; at: number } = { treeSize: 0, at: 0 };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(private readonly options: TreeHeadSignerOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.lockKey = createHash('sha256').update(`toolport:audit-sign:${options.schema}`).digest().readBigInt64BE(0).toString();
  }

  /** Rebuilds the tree from the stored leaves (signing what the policy says is due) and starts polling. */
  async start(): Promise<void> {
    const latest = await this.options.heads.latest();
    this.lastSigned = latest ? { treeSize: latest.treeSize, at: Date.parse(latest.timestamp) } : { treeSize: 0, at: this.clock().getTime() };
    auditMetrics.signedTreeSize().set(this.lastSigned.treeSize);
    this.stopped = false;
    await this.tick();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** The tree size the accumulator covers. */
  get treeSize(): number {
    return this.accumulator.size;
  }

  /** One round: read new leaves, sign due heads. Exposed so tests and the bench need not wait for the poll. */
  tick(): Promise<void> {
    const round = (this.running ?? Promise.resolve()).then(() => this.round());
    this.running = round.catch(() => undefined);
    return round;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.tick()
        .catch((error: unknown) => this.options.logger.error({ err: error }, 'signing tree heads failed; retrying at the next poll'))
        .finally(() => this.schedule());
    }, this.options.pollMs ?? 1000);
  }

  private async round(): Promise<void> {
    const { everyRecords, intervalSeconds } = this.options.policy;
    for (;;) {
      const leaves = await this.options.records.leafHashesAfter(this.accumulator.size, LEAF_BATCH);
      for (const leaf of leaves) {
        this.accumulator.append(leaf);
        if (this.accumulator.size % everyRecords === 0 && this.accumulator.size > this.lastSigned.treeSize) await this.sign();
      }
      if (leaves.length < LEAF_BATCH) break;
    }
    auditMetrics.treeSize().set(this.accumulator.size);
    const due = this.clock().getTime() - this.lastSigned.at >= intervalSeconds * 1000;
    if (due && this.accumulator.size > this.lastSigned.treeSize) await this.sign();
  }

  /** Signs, stores and appends the head of the accumulator's current size, unless a replica got there first. */
  private async sign(): Promise<void> {
    const now = this.clock();
    const head = signTreeHead({ treeSize: this.accumulator.size, rootHash: this.accumulator.rootHash(), timestamp: now }, this.options.key.privateKey);
    const stored = await withTransaction(this.options.pool, async (tx): Promise<SignedTreeHead> => {
      await tx.query(`SELECT pg_advisory_xact_lock(${this.lockKey})`);
      const latest = await this.options.heads.latestInTransaction(tx);
      if (latest && latest.treeSize >= head.treeSize) return latest;
      await this.options.heads.insertInTransaction(tx, head);
      const context: CommandContext = { actor: SERVICE_ACTOR, correlationId: uuidv7(now.getTime()), causationId: null, traceparent: null, now };
      await this.options.events.appendInTransaction(tx, TREE_HEAD_STREAM, [{ type: TreeHeadSigned.type, data: { ...head } }], { expectedVersion: 'any', context });
      return head;
    });
    this.lastSigned = { treeSize: stored.treeSize, at: Date.parse(stored.timestamp) };
    auditMetrics.signedTreeSize().set(stored.treeSize);
  }
}
