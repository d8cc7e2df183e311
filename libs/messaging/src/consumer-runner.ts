import { type Consumer, jetstream, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { durableName, streamName } from '@toolport/contracts';
import { SpanKind, withSpan } from '@toolport/observability';
import type { PoolClient } from 'pg';
import { publishDeadLetter } from './dead-letter';
import { type ConsumedEvent, decodeEventMessage, EVENT_TYPE_HEADER, TRACEPARENT_HEADER } from './envelope-codec';
import { defaultMessagingLogger, errorFields, type MessagingLogger } from './messaging-logger';
import { messagingMetrics } from './messaging-metrics';
import { advanceCheckpoint, applyGroupWithCheckpoint, type GroupApplied, OutOfTurnError, readCheckpoint } from './projection-checkpoint';
import { DEFAULT_PROJECTION_BATCH } from './provisioning';
import { WakeSignal } from './wake-signal';
import type { ConsumerRunnerOptions, ConsumerStatus, HaltActionRecorder, ProjectionRunnerOptions, HaltedMessage, MessageInfo, RunnerState } from './consumer-runner.types';

export type { MessageInfo, ProjectionHandlerFn, ProjectionBatchHandlerFn, WorkHandlerFn, ProjectionRunnerOptions, WorkRunnerOptions, ConsumerRunnerOptions, RunnerState, HaltedMessage, HaltActionRecorder, ConsumerStatus } from './consumer-runner.types';

/** How long a message handed out of turn (another replica holds earlier ones) waits before it is offered again. */
const OUT_OF_TURN_DELAY_MS = 200;
/**
 * How long a runner holding messages out of turn waits for the checkpoint to move (the other
 * replica applying the earlier ones) before handing them back. JetStream spreads a durable's
 * messages over the replicas' pull requests one by one, so out of turn is the rule with two
 * replicas: handing back at once made every turn cost OUT_OF_TURN_DELAY_MS (minutes for a few
 * hundred events). The wait is bounded because the missing message may be held by nobody (in
 * JetStream's redelivery queue while no pull request is out) or by a halted replica.
 */
const OUT_OF_TURN_WAIT_MS = 1000;
const OUT_OF_TURN_POLL_MS = 5;

/**
 * Runs one durable pull consumer (DESIGN.md "Consumers"). Each message is decoded, handled in a
 * CONSUMER span continuing the producer's trace, then acknowledged; a failure is nak'ed with
 * the definition's backoff. After `maxDeliver` failed attempts a projection halts on the message
 * (nothing behind it is applied) until `resume()` or `skip()`, and a work consumer copies it to
 * the dead-letter subject, terminates it and goes on.
 *
 * A projection takes up to its batch of messages per pull and applies the messages it has in
 * hand (as many as arrived together, up to the batch) in one transaction with the checkpoint,
 * then acknowledges them in order. If that transaction fails, the same messages are applied one
 * by one, each in its own transaction, so a failure is charged to the message that caused it
 * and a halt names it; a group failure is not counted as an attempt. Messages behind a failed
 * one are handed back in order with the same delay, or held with it when it halts.
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
  private halted: { info: HaltedMessage; msg: JsMsg; rest: JsMsg[] } | undefined;
  /** Projections: after a retry was scheduled, when messages behind it may be applied (epoch ms). */
  private retryAt = 0;
  private readonly batchSize: number;
  private jsm: Promise<JetStreamManager> | undefined;
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
    this.batchSize = options.kind === 'projection' ? (definition.maxAckPending ?? DEFAULT_PROJECTION_BATCH) : 1;
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
      // Hand the halted message (and those held behind it, in order) back so the next runner on
      // this durable (a restart, another replica) tries it at once rather than after its ack
      // wait; it halts there again if it still fails.
      this.halted.msg.nak();
      for (const msg of this.halted.rest) msg.nak();
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

  /** The stream this consumer reads, as named in consumers.json (without the instance). */
  private get definitionStream(): string {
    return this.options.definition.stream;
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

  /**
   * Retries the halted message with a fresh attempt count (after its cause was fixed). `record`
   * runs first, once this call holds the halt (a concurrent resume or skip is refused): if it
   * fails, nothing changes and the projection stays halted.
   */
  async resume(record?: HaltActionRecorder): Promise<void> {
    const halted = this.requireHalted('resume');
    try {
      await this.haltedLoopEnded();
      await record?.({ ...halted.info }, this.definitionStream);
    } finally {
      this.leavingHalt = false;
    }
    this.logger.info({ consumer: this.name, eventId: halted.info.eventId, streamSequence: halted.info.streamSequence }, 'projection resumed');
    this.clearHalt();
    this.attempts.clear();
    // Make it deliverable at once instead of after its ack wait, then those behind it, in order.
    halted.msg.nak();
    for (const msg of halted.rest) msg.nak();
    this.restart();
  }

  /**
   * Records the checkpoint past the halted message without applying it, acknowledges it and goes
   * on. `record` runs first (see resume()): a skip whose record fails does not happen.
   */
  async skip(record?: HaltActionRecorder): Promise<void> {
    const options = this.options;
    if (options.kind !== 'projection') throw new Error(`consumer ${this.name} is not a projection: only projections halt`);
    const halted = this.requireHalted('skip');
    try {
      await this.haltedLoopEnded();
      await record?.({ ...halted.info }, this.definitionStream);
      await advanceCheckpoint(options.pool, options.schema, this.name, halted.info.streamSequence);
    } finally {
      this.leavingHalt = false;
    }
    this.logger.warn(
      { consumer: this.name, eventId: halted.info.eventId, eventType: halted.info.eventType, streamSequence: halted.info.streamSequence },
      'projection skipped a message by explicit request: its effect is not applied',
    );
    halted.msg.ack();
    for (const msg of halted.rest) msg.nak();
    this.clearHalt();
    this.attempts.delete(halted.info.streamSequence);
    this.restart();
  }

  private requireHalted(action: string): { info: HaltedMessage; msg: JsMsg; rest: JsMsg[] } {
    if (!this.halted || this.state !== 'halted' || this.leavingHalt) {
      throw new Error(`cannot ${action} consumer ${this.name}: it is ${this.leavingHalt ? 'leaving its halt already' : `${this.state}, not halted`}`);
    }
    this.leavingHalt = true;
    return this.halted;
  }

  private clearHalt(): void {
    this.halted = undefined;
    this.retryAt = 0;
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
   * One message per pull request for work, up to the batch for projections; a pull request is
   * never cancelled: it ends by delivering its messages or by expiring. Cancelling one (unsubscribing before it expires) races with a
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
        const fetch = await consumer.fetch({ max_messages: this.batchSize, expires: this.options.fetchExpiresMs ?? 2000 });
        const messages = fetch[Symbol.asyncIterator]();
        let next: Promise<IteratorResult<JsMsg>> | null = null;
        let group: JsMsg[] = [];
        for (;;) {
          next ??= messages.next();
          // Everything that arrived together (delivered before the event loop turns), up to the
          // batch, is one group: a group in hand is applied as soon as nothing more is ready.
          const result = group.length > 0 ? await Promise.race([next, nextTurn()]) : await next;
          if (result === IDLE) {
            await this.handleGroup(group);
            group = [];
            continue;
          }
          next = null;
          if (result.done) break;
          const msg = result.value;
          if (this.stopping) msg.nak();
          else if (this.halted) this.halted.rest.push(msg);
          else if (this.retryAt > Date.now()) msg.nak(this.retryAt - Date.now() + 1);
          else if (this.options.kind === 'work') await this.handle(msg);
          else {
            group.push(msg);
            if (group.length < this.batchSize) continue;
            await this.handleGroup(group);
            group = [];
          }
        }
        if (this.stopping) for (const msg of group) msg.nak();
        else if (group.length > 0) await this.handleGroup(group);
        // Messages handed back for a retry come first again only if nothing newer is pulled meanwhile.
        if (!this.stopping && this.retryAt > Date.now()) await this.wake.wait(this.retryAt - Date.now());
      } catch (error) {
        consumer = undefined;
        if (this.stopping) break;
        this.logger.warn({ consumer: this.name, ...errorFields(error) }, 'pulling from JetStream failed; retrying');
        await this.wake.wait(this.options.retryDelayMs ?? 1000);
      }
    }
  }

  /** Applies a projection's group in one transaction, or, if that fails, message by message. */
  private async handleGroup(msgs: JsMsg[]): Promise<void> {
    // In stream order: a redelivery may arrive after later messages in the same pull.
    msgs.sort((a, b) => a.info.streamSequence - b.info.streamSequence);
    const settled = msgs.length > 1 ? await this.applyGroup(msgs) : 0;
    for (let i = settled; i < msgs.length; i++) {
      if (this.stopping) {
        for (const msg of msgs.slice(i)) msg.nak();
        return;
      }
      const retryInMs = await this.handle(msgs[i]!);
      if (retryInMs === 0 && !this.halted) continue;
      const rest = msgs.slice(i + 1);
      if (this.halted) this.halted.rest.push(...rest);
      else for (const msg of rest) msg.nak(retryInMs + 1);
      return;
    }
  }

  /**
   * Applies what it can of the group in one transaction per run; returns where applying one by
   * one is to go on (msgs.length: all applied or handed back out of turn).
   */
  private async applyGroup(msgs: JsMsg[]): Promise<number> {
    const options = this.options as ProjectionRunnerOptions;
    let events: ConsumedEvent[];
    try {
      events = msgs.map((msg) => decodeEventMessage(msg.data));
    } catch {
      return 0;
    }
    const infos = msgs.map((msg) => this.infoOf(msg, (this.attempts.get(msg.info.streamSequence) ?? 0) + 1));
    // msgs[start..] are not applied yet: a group may be applied in runs, waiting for the other
    // replica between them (see OUT_OF_TURN_WAIT_MS).
    let start = 0;
    for (;;) {
      const part = msgs.slice(start);
      let group: GroupApplied;
      try {
        group = await this.keepAlive(part, () =>
          withSpan(
            `consume ${part.length} messages`,
            {
              parent: part[0]!.headers?.get(TRACEPARENT_HEADER) || null,
              kind: SpanKind.CONSUMER,
              attributes: { 'messaging.consumer.group.name': this.durable, 'messaging.batch.message_count': part.length },
            },
            () =>
              applyGroupWithCheckpoint(
                options.pool,
                options.schema,
                this.name,
                infos.slice(start).map((info) => info.streamSequence),
                (tx, from, to) => this.applyEvents(events.slice(start + from, start + to), tx, infos.slice(start + from, start + to)),
                (sequence) => this.nextAfter(sequence),
                (i) => firstDeliveriesInARow(part[i - 1]!, part[i]!),
              ),
          ),
        );
      } catch (error) {
        if (error instanceof OutOfTurnError) {
          if (await this.awaitTurn(part, error.checkpoint)) continue;
          this.handBack(part, { checkpoint: error.checkpoint, next: error.next, got: error.got });
          return msgs.length;
        }
        this.logger.debug({ consumer: this.name, messages: part.length, ...errorFields(error) }, 'applying a group failed; applying its messages one by one');
        return start;
      }
      const applied = group.to - group.from;
      if (applied > 0) this.committed(events.slice(start + group.from, start + group.to));
      for (const msg of part.slice(0, group.to)) {
        msg.ack();
        this.attempts.delete(msg.info.streamSequence);
      }
      if (applied > 0) messagingMetrics.consumerMessages().inc({ consumer: this.durable, outcome: 'applied' }, applied);
      if (group.from > 0) messagingMetrics.consumerMessages().inc({ consumer: this.durable, outcome: 'already-applied' }, group.from);
      if (group.to === part.length) return msgs.length;
      // Behind a message another runner holds: applied once that one is, or handed back to come again in turn.
      const after = part[group.to - 1]!.info.streamSequence;
      start += group.to;
      if (await this.awaitTurn(msgs.slice(start), after)) continue;
      this.handBack(msgs.slice(start), { after, got: msgs[start]!.info.streamSequence });
      return msgs.length;
    }
  }

  /**
   * Holds `msgs` (out of turn) until the checkpoint moves past `checkpoint`, for at most
   * OUT_OF_TURN_WAIT_MS; true if it moved (try them again), false: hand them back.
   */
  private async awaitTurn(msgs: readonly JsMsg[], checkpoint: number): Promise<boolean> {
    const options = this.options as ProjectionRunnerOptions;
    const deadline = Date.now() + OUT_OF_TURN_WAIT_MS;
    return this.keepAlive(msgs, async () => {
      while (!this.stopping && Date.now() < deadline) {
        if ((await readCheckpoint(options.pool, options.schema, this.name)) > checkpoint) return true;
        await new Promise((resolve) => setTimeout(resolve, OUT_OF_TURN_POLL_MS));
      }
      return false;
    });
  }

  /** Another runner on the durable holds earlier messages: give these back, in order, for a little later. */
  private handBack(msgs: readonly JsMsg[], turn: { checkpoint?: number; next?: number; after?: number; got: number }): void {
    this.logger.debug({ consumer: this.name, ...turn }, 'messages handed out of turn; handing them back');
    this.retryAt = Date.now() + OUT_OF_TURN_DELAY_MS;
    for (const msg of msgs) msg.nak(OUT_OF_TURN_DELAY_MS);
  }

  private applyEvents(events: readonly ConsumedEvent[], tx: PoolClient, infos: readonly MessageInfo[]): Promise<void> {
    const options = this.options as ProjectionRunnerOptions;
    if (options.batchHandler) return options.batchHandler(events, tx, infos);
    return events.reduce<Promise<void>>((previous, event, i) => previous.then(() => options.handler(event, tx, infos[i]!)), Promise.resolve());
  }

  private committed(events: readonly ConsumedEvent[]): void {
    const afterCommit = (this.options as ProjectionRunnerOptions).afterCommit;
    if (!afterCommit) return;
    try {
      afterCommit(events);
    } catch (error) {
      this.logger.error({ consumer: this.name, ...errorFields(error) }, 'afterCommit hook failed');
    }
  }

  /** The stream sequence of the first message this consumer's filter matches after `checkpoint`. */
  private async nextAfter(checkpoint: number): Promise<number | null> {
    this.jsm ??= this.js.jetstreamManager();
    const jsm = await this.jsm;
    let next: number | null = null;
    for (const filter of this.options.definition.filterSubjects) {
      const query = { seq: checkpoint + 1, next_by_subj: `${this.options.instance}.${filter}` } as unknown as Parameters<JetStreamManager['streams']['getMessage']>[1];
      const found = await jsm.streams.getMessage(this.stream, query);
      if (found !== null && (next === null || found.seq < next)) next = found.seq;
    }
    return next;
  }

  private infoOf(msg: JsMsg, attempt: number): MessageInfo {
    return {
      consumer: this.name,
      stream: msg.info.stream,
      subject: msg.subject,
      streamSequence: msg.info.streamSequence,
      deliveryCount: msg.info.deliveryCount,
      attempt,
    };
  }

  /** Handles one message; returns the delay of its retry (0: done, halted or dead-lettered). */
  private async handle(msg: JsMsg): Promise<number> {
    const { definition } = this.options;
    const seq = msg.info.streamSequence;
    const attempt = this.options.kind === 'projection' ? (this.attempts.get(seq) ?? 0) + 1 : msg.info.deliveryCount;
    if (this.options.kind === 'projection') this.attempts.set(seq, attempt);
    const info = this.infoOf(msg, attempt);
    let event: ConsumedEvent | undefined;
    try {
      if (this.options.kind === 'work' && attempt > definition.maxDeliver) {
        // Delivered again and again without an outcome (crashes, ack timeouts): do not try again.
        throw new Error(`delivered ${attempt} times without completing (process crash or ack timeout?)`);
      }
      event = decodeEventMessage(msg.data);
      const decoded = event;
      const outcome = await this.keepAlive([msg], () =>
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
      return 0;
    } catch (error) {
      if (error instanceof OutOfTurnError) {
        this.attempts.set(seq, attempt - 1);
        this.handBack([msg], { checkpoint: error.checkpoint, next: error.next, got: error.got });
        return OUT_OF_TURN_DELAY_MS;
      }
      messagingMetrics.consumerMessages().inc({ consumer: this.durable, outcome: 'failed' });
      const fields = { consumer: this.name, streamSequence: seq, eventId: event?.metadata.eventId, attempt, ...errorFields(error) };
      if (attempt < definition.maxDeliver) {
        const delayMs = backoffMs(definition.backoffSeconds, attempt);
        this.logger.warn({ ...fields, retryInMs: delayMs }, 'consumer handler failed; will retry');
        msg.nak(delayMs);
        if (this.options.kind === 'projection') this.retryAt = Date.now() + delayMs;
        return delayMs;
      } else if (this.options.kind === 'projection') {
        this.halt(msg, event, error);
      } else {
        await this.deadLetter(msg, event, error, attempt);
      }
      return 0;
    }
  }

  private async apply(event: ConsumedEvent, info: MessageInfo): Promise<'applied' | 'already-applied'> {
    const options = this.options;
    if (options.kind === 'work') {
      await options.handler(event, info);
      return 'applied';
    }
    let group: GroupApplied;
    for (;;) {
      try {
        group = await applyGroupWithCheckpoint(options.pool, options.schema, this.name, [info.streamSequence], (tx) => this.applyEvents([event], tx, [info]), (checkpoint) =>
          this.nextAfter(checkpoint),
        );
        break;
      } catch (error) {
        // Out of turn: wait for the replica holding the earlier message, then try again (handed back if it does not come).
        if (!(error instanceof OutOfTurnError) || !(await this.awaitTurn([], error.checkpoint))) throw error;
      }
    }
    const applied = group.to - group.from;
    if (applied === 1) this.committed([event]);
    return applied === 1 ? 'applied' : 'already-applied';
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
    // Held, neither acked nor nak'ed, with whatever arrives behind it (handed back in order on
    // resume, skip or stop): nothing behind it is applied.
    this.halted = { info, msg, rest: [] };
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
  private async keepAlive<T>(msgs: readonly JsMsg[], work: () => Promise<T>): Promise<T> {
    const timer = setInterval(() => {
      for (const msg of msgs) msg.working();
    }, Math.max(500, (this.options.definition.ackWaitSeconds * 1000) / 2));
    try {
      return await work();
    } finally {
      clearInterval(timer);
    }
  }
}

/**
 * True when `msg` is the consumer's next delivery after `previous` and both are first deliveries:
 * JetStream delivers fresh messages in stream order, so no message the filter matches lies
 * between them (it would have been delivered in between), and the stream lookup can be spared.
 */
function firstDeliveriesInARow(previous: JsMsg, msg: JsMsg): boolean {
  return previous.info.deliveryCount === 1 && msg.info.deliveryCount === 1 && msg.info.deliverySequence === previous.info.deliverySequence + 1;
}

const IDLE = Symbol('idle');
/** Resolves after the messages already received have been handed to the iterator's reader. */
const nextTurn = (): Promise<typeof IDLE> => new Promise((resolve) => setImmediate(() => resolve(IDLE)));

/** Delay before the attempt after `attempt` failed; the last configured value repeats. */
export function backoffMs(backoffSeconds: readonly number[], attempt: number): number {
  if (backoffSeconds.length === 0) return 0;
  return Math.round(backoffSeconds[Math.min(attempt, backoffSeconds.length) - 1]! * 1000);
}
