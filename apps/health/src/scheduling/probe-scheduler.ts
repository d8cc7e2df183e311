import { assertInstanceName, queuePrefix } from '@toolport/contracts';
import type { Logger } from '@toolport/observability';
import { Queue, Worker, type Job } from 'bullmq';
import type { Pool } from 'pg';
import type { HealthSettings } from '../config';
import { resolveTarget } from '../targets/target-resolution';
import type { HeaderSecrets } from '../targets/header-secrets';
import { activeTargets } from './probe-store';
import type { ProbeRunner } from './probe-runner';
import { type DesiredSchedule, intervalFor, PROBE_JOB, PROBE_QUEUE, scheduleOffset, schedulerDiff, slotOfJobId } from './schedule';

export interface ProbeJobData {
  targetId: string;
}

export interface ProbeSchedulerOptions {
  redisUrl: string;
  instance: string;
  pool: Pool;
  schema: string;
  settings: HealthSettings;
  secrets: HeaderSecrets;
  runner: ProbeRunner;
  logger: Logger;
}

const connection = (url: string) => ({ url });

/**
 * Probe scheduling on BullMQ job schedulers (issue 6 "Scheduling"): one scheduler per probeable
 * target, `every` = the interval (longer for a `down` target), `offset` = the target's fixed place
 * in the interval (schedule.ts). BullMQ keeps exactly one pending job per scheduler, with an id
 * made of the scheduler and the slot, so any number of replicas (each running a Worker on the
 * same queue) share the jobs and none is probed twice in one interval; the probe table's unique
 * (target, slot) covers a job that runs again after a stall.
 *
 * Redis is not the source of truth: `reconcile` compares the schedulers with the targets in
 * PostgreSQL, adding what is missing and removing what is gone (deleted versions), on start, on
 * every targets change (NOTIFY at the projection's commit) and every `reconcileMs`.
 */
export class ProbeScheduler {
  readonly queue: Queue<ProbeJobData>;
  private worker: Worker<ProbeJobData> | undefined;
  private reconciling: Promise<void> = Promise.resolve();
  private again = false;
  private running = false;

  constructor(private readonly o: ProbeSchedulerOptions) {
    this.queue = new Queue<ProbeJobData>(PROBE_QUEUE, { connection: connection(o.redisUrl), prefix: queuePrefix(assertInstanceName(o.instance)) });
    this.queue.on('error', (error) => o.logger.error({ err: error }, 'probe queue connection error'));
  }

  /** Starts this replica's worker (at most `concurrency` probes at once). */
  async startWorker(name: string): Promise<void> {
    this.worker = new Worker<ProbeJobData>(PROBE_QUEUE, (job) => this.process(job), {
      // Workers block on Redis; BullMQ requires maxRetriesPerRequest: null for them.
      connection: { ...connection(this.o.redisUrl), maxRetriesPerRequest: null },
      prefix: queuePrefix(assertInstanceName(this.o.instance)),
      concurrency: this.o.settings.concurrency,
      name,
      // Scheduled probe jobs are not kept: the probes table is the record.
      removeOnComplete: { count: 0 },
      removeOnFail: { count: 1000, age: 24 * 3600 },
    });
    this.worker.on('error', (error) => this.o.logger.error({ err: error }, 'probe worker error'));
    // A probe never throws for a failing target (Prober): a failed job is our own fault (database, Redis).
    this.worker.on('failed', (job, error) => this.o.logger.error({ err: error, jobId: job?.id }, 'probe job failed'));
    await this.worker.waitUntilReady();
    this.running = true;
  }

  async close(): Promise<void> {
    this.running = false;
    await this.worker?.close();
    await this.reconciling;
    await this.queue.close();
  }

  /** Reconciles now, or once more after the running reconcile (changes that arrive meanwhile are not lost). */
  requestReconcile(): Promise<void> {
    if (this.again) return this.reconciling;
    this.again = true;
    this.reconciling = this.reconciling
      .then(async () => {
        this.again = false;
        await this.reconcile();
      })
      .catch((error: unknown) => this.o.logger.warn({ err: error }, 'probe scheduler: reconcile failed; retried on the next change or period'));
    return this.reconciling;
  }

  private async reconcile(): Promise<void> {
    const targets = await activeTargets(this.o.pool, this.o.schema);
    const desired: DesiredSchedule[] = [];
    for (const target of targets) {
      const resolution = resolveTarget(target.row, this.o.secrets);
      if (!resolution.probeable) {
        if (target.status !== 'unprobeable') await this.o.runner.markUnprobeable(target, resolution.reason);
        continue;
      }
      const every = intervalFor(target.status, this.o.settings);
      desired.push({ targetId: target.row.targetId, every, offset: scheduleOffset(target.row.targetId, every) });
    }
    const existing = await this.queue.getJobSchedulers(0, -1, true);
    const diff = schedulerDiff(
      desired,
      existing.map((s) => ({ key: s.key, every: s.every ?? null, offset: s.offset ?? null })),
    );
    for (const d of diff.upsert) await this.upsert(d);
    for (const key of diff.remove) await this.queue.removeJobScheduler(key);
    if (diff.upsert.length + diff.remove.length > 0) this.o.logger.info({ added: diff.upsert.length, removed: diff.remove.length, targets: desired.length }, 'probe schedulers reconciled');
  }

  private async upsert(d: DesiredSchedule): Promise<void> {
    await this.queue.upsertJobScheduler(d.targetId, { every: d.every, offset: d.offset }, { name: PROBE_JOB, data: { targetId: d.targetId }, opts: { attempts: 1 } });
  }

  private async process(job: Job<ProbeJobData>): Promise<void> {
    const { targetId } = job.data;
    const slot = slotOfJobId(job.id) ?? job.timestamp + (job.delay ?? 0);
    this.o.logger.debug({ targetId, slot, jobId: job.id }, 'probe job started');
    const outcome = await this.o.runner.run(targetId, new Date(slot));
    this.o.logger.debug({ targetId, slot, outcome: outcome.kind, status: outcome.kind === 'probed' ? outcome.status : null }, 'probe job done');
    if (!this.running) return;
    if (outcome.kind === 'gone' || outcome.kind === 'unprobeable') {
      await this.queue.removeJobScheduler(targetId);
    } else if (outcome.kind === 'probed' && intervalFor(outcome.previous, this.o.settings) !== intervalFor(outcome.status, this.o.settings)) {
      // Into or out of `down`: the interval changes (backoff), the offset keeps its place.
      const every = intervalFor(outcome.status, this.o.settings);
      await this.upsert({ targetId, every, offset: scheduleOffset(targetId, every) });
    }
  }
}
