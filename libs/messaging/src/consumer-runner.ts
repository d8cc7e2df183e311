import { type Consumer, jetstream, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { durableName, streamName } from '@toolport/contracts';
import { SpanKind, withSpan } from '@toolport/observability';
import type { Pool, PoolClient } from 'pg';
import { publishDeadLetter } from './dead-letter';
import type { ConsumerDefinition } from './definitions';
import { type ConsumedEvent, decodeEventMessage, EVENT_TYPE_HEADER, TRACEPARENT_HEADER } from './envelope-codec';
import { defaultMessagingLogger, errorFields, type MessagingLogger } from './messaging-logger';
import { messagingMetrics } from './messaging-metrics';
import { advanceCheckpoint, applyWithCheckpoint } from './projection-checkpoint';
import { WakeSignal } from './wake-signal';

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

export interface ConsumerStatus {
  consumer: string;
  durable: string;
  kind: 'projection' | 'work';
  state: RunnerState;
  halted?: HaltedMessage;
}

/**
 * Runs one durable pull consumer (DESIGN.md "Consumers"). Each message is decoded, handled in a
 * CONSUMER span continuing the producer's trace, then acknowledged; a failure is nak'ed with
 * the definition's backoff. After `maxDeliver` failed attempts a projection halts on the message
 * (nothing behind it is applied) until `resume()` or `skip()`, and a work consumer copies it to
 * the dead-letter subject, terminates it and goes on.
 */
export class ConsumerRunner {
  readonly name: string;
  readonly durable: string;
  private readonly js: JetStreamClient;
  private readonly stream: string;
  private readonly logger: MessagingLogger;
  private readonly wake = new WakeSignal();
  private state: RunnerState = 'stopped';
  private stopping = false;
  private loop: Promise<void> | undefined;
  private halted: { info: HaltedMessage; msg: JsMsg } | undefined;
  /** Set while resume() or skip() runs, so a second call cannot start a second loop. */
  private leavingHalt = false;
  /** Projections: attempts per stream sequence since start or the last resume. */
  private readonly attempts = new Map<number, number>();

  constructor(private readonly options: ConsumerRunnerOptions) {
    const { definition } = options;
    const expected = options.kind === 'projection' ? 'halt' : 'dead-letter';
    if (definition.policy !== expected) {
      throw new Error(`consumer ${definition.name} has policy "${definition.policy}" but a ${options.kind} handler needs "${expected}"`);
    }
    this.name = definition.name;
    this.durable = durableName(options.instance, definition.name);
    this.stream = streamName(options.instance, definition.stream as Parameters<typeof streamName>[1]);
    this.js = jetstream(options.nc);
    this.logger = options.logger ?? defaultMessagingLogger();
  }

  start(): void {
    if (this.state !== 'stopped') return;
    this.stopping = false;
    this.state = 'running';
    this.loop = this.run();
  }

  /** Stops pulling, lets the message in hand finish (and be acknowledged), then resolves. A halt is released. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake.fire();
    await this.loop;
    this.loop = undefined;
    if (this.halted) {
      // Hand the halted message back so the next runner on this durable (a restart, another
      // replica) tries it at once rather than after its ack wait; it halts there again if it still fails.
      this.halted.msg.nak();
      this.clearHalt();
    }
    this.state = 'stopped';
    // Acks are fire-and-forget publishes: make sure they left before the caller closes NATS.
    if (!this.options.nc.isClosed()) await this.options.nc.flush().catch(() => undefined);
  }

  /** Same as stop(): the name Nest's shutdown and the docs use. */
  drain(): Promise<void> {
    return this.stop();
  }

  status(): ConsumerStatus {
    return {
      consumer: this.name,
      durable: this.durable,
      kind: this.options.kind,
      state: this.state,
      ...(this.halted ? { halted: { ...this.halted.info } } : {}),
    };
  }

  /** Retries the halted message with a fresh attempt count (after its cause was fixed). */
  async resume(): Promise<void> {
    const halted = this.requireHalted('resume');
    try {
      await this.haltedLoopEnded();
    } finally {
      this.leavingHalt = false;
    }
    this.logger.info({ consumer: this.name, eventId: halted.info.eventId, streamSequence: halted.info.streamSequence }, 'projection resumed');
    this.clearHalt();
    this.attempts.clear();
    // Make it deliverable at once instead of after its ack wait.
    halted.msg.nak();
    this.restart();
  }

  /** Records the checkpoint past the halted message without applying it, acknowledges it and goes on. */
  async skip(): Promise<void> {
    const options = this.options;
    if (options.kind !== 'projection') throw new Error(`consumer ${this.name} is not a projection: only projections halt`);
    const halted = this.requireHalted('skip');
    try {
      await this.haltedLoopEnded();
      await advanceCheckpoint(options.pool, options.schema, this.name, halted.info.streamSequence);
    } finally {
      this.leavingHalt = false;
    }
    this.logger.warn(
      { consumer: this.name, eventId: halted.info.eventId, eventType: halted.info.eventType, streamSequence: halted.info.streamSequence },
      'projection skipped a message by explicit request: its effect is not applied',
    );
    halted.msg.ack();
    this.clearHalt();
    this.attempts.delete(halted.info.streamSequence);
    this.restart();
  }

  private requireHalted(action: string): { info: HaltedMessage; msg: JsMsg } {
    if (!this.halted || this.state !== 'halted' || this.leavingHalt) {
      throw new Error(`cannot ${action} consumer ${this.name}: it is ${this.leavingHalt ? 'leaving its halt already' : `${this.state}, not halted`}`);
    }
    this.leavingHalt = true;
    return this.halted;
  }

  private clearHalt(): void {
    this.halted = undefined;
    messagingMetrics.consumerHalted().set({ consumer: this.durable }, 0);
  }

  private restart(): void {
    this.state = 'running';
    this.loop = this.run();
  }

  /** The loop that halted ends on its own; wait for it so two loops never pull at once. */
  private async haltedLoopEnded(): Promise<void> {
    await this.loop;
  }

  /**
   * One message per pull request, and a pull request is never cancelled: it ends by delivering
   * its message or by expiring. Cancelling one (unsubscribing before it expires) races with a
   * delivery: the message is counted as delivered but reaches nobody, and with max_ack_pending 1
   * the projection stalls until its ack wait runs out. On NATS 2.9.10 a nak of a message whose
   * request had been cancelled left it undelivered until then in 8 of 8 tries, against 0 of 8
   * when the request had completed or expired; and the three-stop restart test in
   * consumer-runner.int-spec.ts stalled in 2 of 5 runs while stop() cancelled the request in
   * progress, 0 of 6 since. A message that arrives while stopping is nak'ed:
   * its request is complete, so the next runner on the durable gets it at once.
   */
  private async run(): Promise<void> {
    let consumer: Consumer | undefined;
    while (!this.stopping && this.state === 'running') {
      try {
        consumer ??= await this.js.consumers.get(this.stream, this.durable);
        const fetch = await consumer.fetch({ max_messages: 1, expires: this.options.fetchExpiresMs ?? 2000 });
        for await (const msg of fetch) {
          if (this.stopping) msg.nak();
          else await this.handle(msg);
        }
      } catch (error) {
        consumer = undefined;
        if (this.stopping) break;
        this.logger.warn({ consumer: this.name, ...errorFields(error) }, 'pulling from JetStream failed; retrying');
        await this.wake.wait(this.options.retryDelayMs ?? 1000);
      }
    }
  }

  private async handle(msg: JsMsg): Promise<void> {
    const { definition } = this.options;
    const seq = msg.info.streamSequence;
    const attempt = this.options.kind === 'projection' ? (this.attempts.get(seq) ?? 0) + 1 : msg.info.deliveryCount;
    if (this.options.kind === 'projection') this.attempts.set(seq, attempt);
    const info: MessageInfo = {
      consumer: this.name,
      stream: msg.info.stream,
      subject: msg.subject,
      streamSequence: seq,
      deliveryCount: msg.info.deliveryCount,
      attempt,
    };
    let event: ConsumedEvent | undefined;
    try {
      if (this.options.kind === 'work' && attempt > definition.maxDeliver) {
        // Delivered again and again without an outcome (crashes, ack timeouts): do not try again.
        throw new Error(`delivered ${attempt} times without completing (process crash or ack timeout?)`);
      }
      event = decodeEventMessage(msg.data);
      const decoded = event;
      const outcome = await this.keepAlive(msg, () =>
        withSpan(
          `consume ${decoded.type}`,
          {
            parent: msg.headers?.get(TRACEPARENT_HEADER) || null,
            kind: SpanKind.CONSUMER,
            attributes: { 'messaging.consumer.group.name': this.durable, 'messaging.message.id': decoded.metadata.eventId },
          },
          () => this.apply(decoded, info),
        ),
      );
      msg.ack();
      this.attempts.delete(seq);
      messagingMetrics.consumerMessages().inc({ consumer: this.durable, outcome });
    } catch (error) {
      messagingMetrics.consumerMessages().inc({ consumer: this.durable, outcome: 'failed' });
      const fields = { consumer: this.name, streamSequence: seq, eventId: event?.metadata.eventId, attempt, ...errorFields(error) };
      if (attempt < definition.maxDeliver) {
        const delayMs = backoffMs(definition.backoffSeconds, attempt);
        this.logger.warn({ ...fields, retryInMs: delayMs }, 'consumer handler failed; will retry');
        msg.nak(delayMs);
      } else if (this.options.kind === 'projection') {
        this.halt(msg, event, error);
      } else {
        await this.deadLetter(msg, event, error, attempt);
      }
    }
  }

  private async apply(event: ConsumedEvent, info: MessageInfo): Promise<'applied' | 'already-applied'> {
    const options = this.options;
    if (options.kind === 'work') {
      await options.handler(event, info);
      return 'applied';
    }
    return applyWithCheckpoint(options.pool, options.schema, this.name, info.streamSequence, (tx) => options.handler(event, tx, info));
  }

  private halt(msg: JsMsg, event: ConsumedEvent | undefined, error: unknown): void {
    const info: HaltedMessage = {
      streamSequence: msg.info.streamSequence,
      subject: msg.subject,
      eventType: event?.type ?? msg.headers?.get(EVENT_TYPE_HEADER) ?? null,
      eventId: event?.metadata.eventId ?? null,
      error: errorFields(error).error,
      deliveries: msg.info.deliveryCount,
      since: new Date().toISOString(),
    };
    // Held, neither acked nor nak'ed: with max_ack_pending 1 nothing behind it is handed out.
    this.halted = { info, msg };
    this.state = 'halted';
    messagingMetrics.consumerHalted().set({ consumer: this.durable }, 1);
    this.logger.error({ ...info, consumer: this.name }, 'projection halted on a message that keeps failing; fix the cause and resume, or skip it');
  }

  private async deadLetter(msg: JsMsg, event: ConsumedEvent | undefined, error: unknown, deliveries: number): Promise<void> {
    const reason = errorFields(error).error;
    try {
      await publishDeadLetter(this.js, this.options.instance, this.name, msg, reason, deliveries);
    } catch (publishError) {
      // Not dropped: it stays in the consumer and is tried again, then dead-lettered again.
      this.logger.error({ consumer: this.name, streamSequence: msg.info.streamSequence, ...errorFields(publishError) }, 'dead-letter publish failed');
      msg.nak(backoffMs(this.options.definition.backoffSeconds, deliveries));
      return;
    }
    msg.term();
    messagingMetrics.consumerMessages().inc({ consumer: this.durable, outcome: 'dead_lettered' });
    this.logger.error(
      { consumer: this.name, streamSequence: msg.info.streamSequence, eventId: event?.metadata.eventId, deliveries, error: reason },
      'message moved to the dead-letter subject after its last attempt',
    );
  }

  /** Tells JetStream the message is still being worked on, so a slow handler is not redelivered meanwhile. */
  private async keepAlive<T>(msg: JsMsg, work: () => Promise<T>): Promise<T> {
    const timer = setInterval(() => msg.working(), Math.max(500, (this.options.definition.ackWaitSeconds * 1000) / 2));
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }
}

/** Delay before the attempt after `attempt` failed; the last configured value repeats. */
export function backoffMs(backoffSeconds: readonly number[], attempt: number): number {
  if (backoffSeconds.length === 0) return 0;
  return Math.round(backoffSeconds[Math.min(attempt, backoffSeconds.length) - 1]! * 1000);
}
