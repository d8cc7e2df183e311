import type { Pool } from 'pg';
import { PgListener } from './pg-listener';

/** A record of an append-only log with increasing positive ids (a change, an event). */
export interface LogRecord {
  id: number;
}

export interface CommittedLogOptions<T extends LogRecord> {
  pool: Pool;
  /** The channel the writers NOTIFY in the transaction that inserts records. */
  channel: string;
  /** Stored records after `afterId`, oldest first, at most `limit`. */
  since: (afterId: number, limit: number) => Promise<T[]>;
  /** The highest stored id (0: none), read at start. */
  latestId: () => Promise<number>;
  /** Records read per catch-up query (default 1000). */
  pageSize?: number;
  retryDelayMs?: number;
  onError?: (error: unknown) => void;
}

export type LogListener<T> = (record: T) => void;

/**
 * Records of a table as they are committed, in id order, to in-process subscribers (an SSE
 * feed). Writers insert in id order (an advisory lock, as the event store and the catalog's
 * changes do) and NOTIFY, which PostgreSQL delivers only at commit; this reads the new rows and
 * emits them. Every replica hears every replica's commits; after a lost connection it catches up
 * from the last id it emitted, so subscribers miss nothing.
 */
export class CommittedLog<T extends LogRecord> {
  private readonly listeners = new Set<LogListener<T>>();
  private readonly listener: PgListener;
  private lastId = 0;
  private pumping: Promise<void> = Promise.resolve();

  constructor(private readonly options: CommittedLogOptions<T>) {
    this.listener = new PgListener({ pool: options.pool, channel: options.channel, onNotify: () => this.pump(), retryDelayMs: options.retryDelayMs, onError: options.onError });
  }

  async start(): Promise<void> {
    this.lastId = await this.options.latestId();
    await this.listener.start();
  }

  async stop(): Promise<void> {
    await this.listener.stop();
    await this.pumping;
  }

  /** Calls `listener` for every record committed after now; returns the unsubscribe function. */
  subscribe(listener: LogListener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The id of the last record emitted (or stored at start). */
  latestId(): number {
    return this.lastId;
  }

  since(afterId: number, limit = this.options.pageSize ?? 1000): Promise<T[]> {
    return this.options.since(afterId, limit);
  }

  /** One catch-up at a time, so records are emitted once each and in order. */
  private pump(): void {
    this.pumping = this.pumping.then(() => this.emitNew()).catch((error: unknown) => this.options.onError?.(error));
  }

  private async emitNew(): Promise<void> {
    const pageSize = this.options.pageSize ?? 1000;
    for (;;) {
      const batch = await this.since(this.lastId, pageSize);
      for (const record of batch) {
        this.lastId = record.id;
        for (const listener of this.listeners) {
          try {
            listener(record);
          } catch (error) {
            this.options.onError?.(error);
          }
        }
      }
      if (batch.length < pageSize) return;
    }
  }
}
