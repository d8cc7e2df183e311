import type { NatsConnection } from '@nats-io/nats-core';
import type { Pool, PoolClient } from 'pg';
import type { ConsumerDefinition } from './definitions';
import type { ConsumedEvent } from './envelope-codec';
import type { MessagingLogger } from './messaging-logger';

/* The consumer runner's handler, option and status types (consumer-runner.ts runs them). */

/** Where a message came from and how often it was tried; passed to every handler. */
export interface MessageInfo {
  /** The consumer definition's name, `<service>-<purpose>`. */
  consumer: string;
  stream: string;
  subject: string;
  streamSequence: number;
  /** JetStream's count of deliveries, across restarts. */
  deliveryCount: number;
  /** This attempt's number (projections: since start or the last resume; work: = deliveryCount). */
  attempt: number;
}

export type ProjectionHandlerFn = (event: ConsumedEvent, tx: PoolClient, info: MessageInfo) => Promise<void>;
/** Applies several messages (in stream order) in one transaction; optional, the runner loops over the handler otherwise. */
export type ProjectionBatchHandlerFn = (events: readonly ConsumedEvent[], tx: PoolClient, infos: readonly MessageInfo[]) => Promise<void>;


export type WorkHandlerFn = (event: ConsumedEvent, info: MessageInfo) => Promise<void>;

interface RunnerCommonOptions {
  nc: NatsConnection;
  instance: string;
  definition: ConsumerDefinition;
  logger?: MessagingLogger;
  /**
   * How long one pull request waits for a message (default 2000 ms, at least 1000). stop() lets
   * the pull in progress end rather than cancel it (see run()), so stopping an idle runner takes
   * up to this long; an idle runner sends one small request per period.
   */
  fetchExpiresMs?: number;
  /** Pause after a failed pull (default 1000 ms). */
  retryDelayMs?: number;
}

/** An order-sensitive projection (policy `halt`): writes and checkpoint in one transaction. */
export interface ProjectionRunnerOptions extends RunnerCommonOptions {
  kind: 'projection';
  pool: Pool;
  /** Schema holding `consumer_checkpoints` (messagingMigrations), normally the service's own. */
  schema: string;
  handler: ProjectionHandlerFn;
  /** Applies a whole group at once (e.g. one search-index write for the group); `handler` is used without it. */
  batchHandler?: ProjectionBatchHandlerFn;
  /** Called after a transaction that applied events committed, before their acknowledgements. */
  afterCommit?: (events: readonly ConsumedEvent[]) => void;
}

/** At-least-once work (policy `dead-letter`): a failing message goes to the DLQ and the rest flows. */
export interface WorkRunnerOptions extends RunnerCommonOptions {
  kind: 'work';
  handler: WorkHandlerFn;
}

export type ConsumerRunnerOptions = ProjectionRunnerOptions | WorkRunnerOptions;

export type RunnerState = 'running' | 'halted' | 'stopped';

export interface HaltedMessage {
  streamSequence: number;
  subject: string;
  eventType: string | null;
  eventId: string | null;
  error: string;
  /** JetStream's delivery count when it halted. */
  deliveries: number;
  since: string;
}

/**
 * Called by resume() and skip() before they act, with the message the projection is halted on
 * and the stream it reads (relative, as in consumers.json): where the admin action is recorded.
 */
export type HaltActionRecorder = (halted: HaltedMessage, stream: string) => Promise<void>;

export interface ConsumerStatus {
  consumer: string;
  durable: string;
  kind: 'projection' | 'work';
  state: RunnerState;
  halted?: HaltedMessage;
}
