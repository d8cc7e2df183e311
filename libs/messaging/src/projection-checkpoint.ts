import { withTransaction } from '@toolport/event-store';
import type { Pool, PoolClient } from 'pg';

/**
 * Runs a projection's writes for one message in a transaction that also reads, locks and
 * advances the consumer's checkpoint in `<schema>.consumer_checkpoints`: the writes and the
 * checkpoint commit together or not at all, so a redelivered message (sequence at or below the
 * checkpoint) is acknowledged without running again. The row lock also serialises two replicas
 * that were handed the same message (an ack timeout while the first was still working).
 */
export async function applyWithCheckpoint(
  pool: Pool,
  schema: string,
  consumer: string,
  streamSequence: number,
  apply: (tx: PoolClient) => Promise<void>,
): Promise<'applied' | 'already-applied'> {
  return withTransaction(pool, async (tx) => {
    const checkpoint = await lockCheckpoint(tx, schema, consumer);
    if (streamSequence <= checkpoint) return 'already-applied';
    await apply(tx);
    await tx.query(`UPDATE ${schema}.consumer_checkpoints SET stream_sequence = $2, updated_at = now() WHERE consumer = $1`, [
      consumer,
      streamSequence,
    ]);
    return 'applied';
  });
}

/** Thrown when a message is not the next one to apply: another runner on the durable holds an earlier one. */
export class OutOfTurnError extends Error {
  constructor(
    readonly checkpoint: number,
    readonly next: number,
    readonly got: number,
  ) {
    super(`stream sequence ${got} is not next: ${next} after checkpoint ${checkpoint} is not applied yet`);
  }
}

/** Which of a group's messages applyGroupWithCheckpoint applied: `sequences[from..to)`. */
export interface GroupApplied {
  /** The first fresh message (those before it are at or below the checkpoint: redeliveries). */
  from: number;
  /** After the last message applied; those from here on are out of turn (see applyGroupWithCheckpoint). */
  to: number;
}

/**
 * Applies a group of messages (in stream order) in one transaction with the checkpoint: all or
 * nothing. Messages at or below the checkpoint (redeliveries) are left out; `apply` gets the
 * indexes of the fresh ones it is to apply. With `nextAfter` (the stream sequence of the first
 * message the consumer's filter matches after a sequence) a group whose first fresh message is
 * not next after the checkpoint is refused with OutOfTurnError before anything runs: with more
 * than one message outstanding per durable, a second replica may be handed later messages while
 * the first still applies earlier ones, and the checkpoint row lock alone would let it commit
 * them first. For the same reason a group need not be contiguous (one replica holds 198 while
 * the other is handed 197 and 199, or a redelivered message arrives with fresh ones): only the
 * run of messages each next after the one before is applied, and the checkpoint moves to its
 * end, never past a message that was not applied. `adjacent(i)` may vouch for message i
 * following message i-1 without asking `nextAfter` (sequences i-1 and i are always adjacent).
 */
export async function applyGroupWithCheckpoint(
  pool: Pool,
  schema: string,
  consumer: string,
  sequences: readonly number[],
  apply: (tx: PoolClient, from: number, to: number) => Promise<void>,
  nextAfter?: (sequence: number) => Promise<number | null>,
  adjacent?: (index: number) => boolean,
): Promise<GroupApplied> {
  return withTransaction(pool, async (tx) => {
    const checkpoint = await lockCheckpoint(tx, schema, consumer);
    let from = 0;
    while (from < sequences.length && sequences[from]! <= checkpoint) from++;
    if (from === sequences.length) return { from, to: from };
    const first = sequences[from]!;
    if (nextAfter && first > checkpoint + 1) {
      const next = await nextAfter(checkpoint);
      if (next !== null && next < first) throw new OutOfTurnError(checkpoint, next, first);
    }
    let to = from + 1;
    for (; to < sequences.length; to++) {
      const previous = sequences[to - 1]!;
      const sequence = sequences[to]!;
      if (sequence <= previous) break;
      if (nextAfter && sequence !== previous + 1 && !adjacent?.(to)) {
        const next = await nextAfter(previous);
        if (next !== null && next < sequence) break;
      }
    }
    await apply(tx, from, to);
    await tx.query(`UPDATE ${schema}.consumer_checkpoints SET stream_sequence = $2, updated_at = now() WHERE consumer = $1`, [
      consumer,
      sequences[to - 1],
    ]);
    return { from, to };
  });
}

/** Moves the checkpoint past `streamSequence` without applying it (an operator's explicit skip). */
export async function advanceCheckpoint(pool: Pool, schema: string, consumer: string, streamSequence: number): Promise<void> {
  await withTransaction(pool, async (tx) => {
    await lockCheckpoint(tx, schema, consumer);
    await tx.query(
      `UPDATE ${schema}.consumer_checkpoints SET stream_sequence = GREATEST(stream_sequence, $2), updated_at = now() WHERE consumer = $1`,
      [consumer, streamSequence],
    );
  });
}

export async function readCheckpoint(pool: Pool, schema: string, consumer: string): Promise<number> {
  const { rows } = await pool.query<{ stream_sequence: string }>(
    `SELECT stream_sequence FROM ${schema}.consumer_checkpoints WHERE consumer = $1`,
    [consumer],
  );
  return rows[0] ? Number(rows[0].stream_sequence) : 0;
}

async function lockCheckpoint(tx: PoolClient, schema: string, consumer: string): Promise<number> {
  await tx.query(`INSERT INTO ${schema}.consumer_checkpoints (consumer, stream_sequence) VALUES ($1, 0) ON CONFLICT (consumer) DO NOTHING`, [consumer]);
  const { rows } = await tx.query<{ stream_sequence: string }>(
    `SELECT stream_sequence FROM ${schema}.consumer_checkpoints WHERE consumer = $1 FOR UPDATE`,
    [consumer],
  );
  return Number(rows[0]!.stream_sequence);
}
