import { createHash } from 'node:crypto';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { EventRegistry } from '@toolport/contracts';
import { type EventStore, eventsNotificationChannel } from '@toolport/event-store';
import { Client, type Pool } from 'pg';
import { defaultMessagingLogger, errorFields, type MessagingLogger } from './messaging-logger';
import { messagingMetrics } from './messaging-metrics';
import { OrderedPublisher } from './ordered-publisher';
import { WakeSignal } from './wake-signal';

export interface EventRelayHooks {
  /** Runs after JetStream acknowledged a whole batch and before its checkpoint is stored (tests use it to crash there). */
  afterPublish?: (lastPosition: number) => Promise<void>;
}

export interface EventRelayOptions {
  /** The service's pool; the relay opens one extra dedicated connection with its settings. */
  pool: Pool;
  /** The service's schema: its `events` table (event store) and `relay_checkpoint` (messagingMigrations). */
  schema: string;
  store: EventStore;
  js: JetStreamClient;
  instance: string;
  registry: EventRegistry;
  /** Events read and published per round (default 256). */
  batchSize?: number;
  /** Safety-net poll when no NOTIFY arrives (default 5000 ms); NOTIFY normally wakes the relay. */
  pollIntervalMs?: number;
  /** How often a standby relay tries to take the lead (default 1000 ms). */
  lockRetryMs?: number;
  /** Pause after a failed round or a lost connection (default 1000 ms). */
  retryDelayMs?: number;
  logger?: MessagingLogger;
  hooks?: EventRelayHooks;
}

/** The checkpoint row's key in `<schema>.relay_checkpoint`. */
const RELAY_NAME = 'jetstream';

/**
 * Publishes a service's appended events to JetStream in global-position order, after commit,
 * never from the request path (DESIGN.md "The relay").
 *
 * One relay per schema publishes at a time, even with several replicas: the leader holds a
 * session-level advisory lock on its dedicated connection, the others retry it every
 * `lockRetryMs` and take over when the leader's session ends (stop, crash, network loss: the
 * server releases a session lock when the session goes). The same connection LISTENs to the
 * event store's NOTIFY, sent at commit with the last position, and stores the checkpoint, so a
 * relay that lost its connection, and with it the lock, cannot store a checkpoint any more.
 *
 * The checkpoint is stored only after JetStream acknowledged every publish of the batch; a crash
 * in between re-sends from the checkpoint, and OrderedPublisher keeps that from duplicating or
 * reordering anything in the stream.
 */
export class EventRelay {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly lockRetryMs: number;
  private readonly retryDelayMs: number;
  private readonly logger: MessagingLogger;
  private readonly publisher: OrderedPublisher;
  private readonly lockKey: string;
  private readonly channel: string;
  private readonly wake = new WakeSignal();
  private running = false;
  private loop: Promise<void> | undefined;
  private leading = false;
  private checkpoint = 0;

  constructor(private readonly options: EventRelayOptions) {
    this.batchSize = options.batchSize ?? 256;
    this.pollIntervalMs = options.pollIntervalMs ?? 5000;
    this.lockRetryMs = options.lockRetryMs ?? 1000;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.logger = options.logger ?? defaultMessagingLogger();
    this.publisher = new OrderedPublisher(options.js, options.instance, options.registry);
    this.channel = eventsNotificationChannel(options.schema);
    this.lockKey = createHash('sha256').update(`toolport:relay:${options.schema}`).digest().readBigInt64BE(0).toString();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the batch in flight (publish, checkpoint), then releases the lead. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake.fire();
    await this.loop;
    this.loop = undefined;
  }

  /** True while this relay holds the lead for its schema. */
  isLeader(): boolean {
    return this.leading;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.lead();
      } catch (error) {
        this.logger.warn({ schema: this.options.schema, ...errorFields(error) }, 'event relay lost its database session or could not open it; retrying');
      }
      if (this.running) await this.wake.wait(this.retryDelayMs);
    }
  }

  private async lead(): Promise<void> {
    const client = new Client(this.options.pool.options);
    const connection: { lost?: Error } = {};
    // An 'error' event without a listener would crash the process (node-postgres docs, Client events).
    client.on('error', (error) => {
      connection.lost = error;
      this.wake.fire();
    });
    client.on('notification', () => this.wake.fire());
    try {
      await client.connect();
      while (this.running && !connection.lost) {
        const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [this.lockKey]);
        if (rows[0]!.locked) break;
        await this.wake.wait(this.lockRetryMs);
      }
      if (!this.running || connection.lost) return;
      await client.query(`LISTEN ${this.channel}`);
      this.checkpoint = await this.readCheckpoint(client);
      this.publisher.invalidate();
      this.leading = true;
      this.logger.info({ schema: this.options.schema, checkpoint: this.checkpoint }, 'event relay is leading');
      while (this.running && !connection.lost) {
        const ok = await this.drain(client);
        if (!this.running || connection.lost) break;
        await this.wake.wait(ok ? this.pollIntervalMs : this.retryDelayMs);
      }
      if (connection.lost) throw connection.lost;
    } finally {
      this.leading = false;
      // Ending the session releases the advisory lock and the LISTEN with it.
      await client.end().catch(() => undefined);
    }
  }

  /** Publishes everything after the checkpoint; false when a round failed (it is retried). */
  private async drain(client: Client): Promise<boolean> {
    const schema = this.options.schema;
    try {
      while (this.running) {
        const events = await this.options.store.readAll({ after: this.checkpoint, limit: this.batchSize });
        if (events.length === 0) break;
        const outcome = await this.publisher.publish(events);
        const lastPosition = events[events.length - 1]!.globalPosition;
        await this.options.hooks?.afterPublish?.(lastPosition);
        await this.writeCheckpoint(client, lastPosition);
        for (const [stream, count] of outcome.published) messagingMetrics.relayPublished().inc({ schema, stream }, count);
        if (outcome.alreadyPublished > 0) {
          this.logger.info({ schema, alreadyPublished: outcome.alreadyPublished, lastPosition }, 'event relay skipped events JetStream already held');
        }
        if (events.length < this.batchSize) break;
      }
      await this.recordLag(client);
      return true;
    } catch (error) {
      this.publisher.invalidate();
      this.logger.error({ schema, checkpoint: this.checkpoint, ...errorFields(error) }, 'event relay round failed; retrying from the checkpoint');
      await this.recordLag(client).catch(() => undefined);
      return false;
    }
  }

  private async readCheckpoint(client: Client): Promise<number> {
    const { rows } = await client.query<{ position: string }>(
      `SELECT position FROM ${this.options.schema}.relay_checkpoint WHERE relay = $1`,
      [RELAY_NAME],
    );
    return rows[0] ? Number(rows[0].position) : 0;
  }

  private async writeCheckpoint(client: Client, position: number): Promise<void> {
    // GREATEST: a former leader finishing a late round must not move the checkpoint back.
    const { rows } = await client.query<{ position: string }>(
      `INSERT INTO ${this.options.schema}.relay_checkpoint AS c (relay, position) VALUES ($1, $2)
       ON CONFLICT (relay) DO UPDATE SET position = GREATEST(c.position, EXCLUDED.position), updated_at = now()
       RETURNING position`,
      [RELAY_NAME, position],
    );
    this.checkpoint = Number(rows[0]!.position);
  }

  private async recordLag(client: Client): Promise<void> {
    const { rows } = await client.query<{ head: string }>(`SELECT coalesce(max(global_position), 0) AS head FROM ${this.options.schema}.events`);
    messagingMetrics.relayLag().set({ schema: this.options.schema }, Math.max(0, Number(rows[0]!.head) - this.checkpoint));
  }
}
