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
