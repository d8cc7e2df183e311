import { type Actor, type CommandContext, uuidv7 } from '@toolport/contracts';
import type { QueuedJob } from '@toolport/jobs';
import { currentTraceparent, type Logger } from '@toolport/observability';
import type { ScanEngine } from '../scan-engine/scan-engine';
import { scoreOf } from '../scoring/score';
import { trustLevelOf } from '../scoring/trust-level';
import { withinBudget } from './finding-budget';
import type { ScanState } from './scan';
import type { ScanCommands } from './scan-commands';
import type { ScanJobData } from './scan-job';
import type { ScannedVersion, ScanVersions } from './scan-versions';

/** The actor of what the scanner does on its own: scans, reconciler requests, automatic approvals. */
export const SCANNER_ACTOR: Actor = { kind: 'service', id: 'scanner' };

export function serviceContext(now: Date = new Date()): CommandContext {
  return { actor: SCANNER_ACTOR, correlationId: uuidv7(now.getTime()), causationId: null, traceparent: currentTraceparent(), now };
}

/** Thrown into the engine through the abort signal when a scan runs past the job timeout. */
export class ScanTimeoutError extends Error {
  readonly retryable = true;
  constructor(timeoutMs: number) {
    super(`scan timed out after ${timeoutMs} ms`);
    this.name = 'ScanTimeoutError';
  }
}

/** The fetchers mark transient failures (a registry answering 503, a reset connection) `retryable: true`. */
export const isRetryable = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === true;

export interface ScanProcessorOptions {
  commands: ScanCommands;
  versions: ScanVersions;
  engine: ScanEngine;
  /** Runs of a job in all (the queue's `attempts`): the last retryable failure is recorded as ScanFailed. */
  attempts: number;
  timeoutMs: number;
  /** Called after a ScanCompleted was appended (automatic approval). */
  afterCompleted?: (version: ScannedVersion, state: ScanState) => Promise<void>;
  now?: () => Date;
  logger?: Logger;
}

export type ScanJobOutcome = 'completed' | 'failed' | 'already-finished';

/**
 * The `scan` queue's handler. Idempotent: a job whose request is already finished (a retry after
 * its worker died right after appending, a duplicate) appends nothing. Retryable engine failures
 * are rethrown so BullMQ retries with backoff, and recorded as ScanFailed(retryable) on the last
 * attempt; any other engine failure is recorded as ScanFailed(not retryable) at once.
 */
export class ScanProcessor {
  private readonly now: () => Date;

  constructor(private readonly options: ScanProcessorOptions) {
    this.now = options.now ?? (() => new Date());
  }

  async process(job: QueuedJob<ScanJobData>): Promise<ScanJobOutcome> {
    const { commands, versions, engine } = this.options;
    const { serverName, version, requestNumber } = job.data;
    const state = await commands.load({ serverName, version });
    if (requestNumber <= state.finishedThrough) return 'already-finished';
    const target = await versions.get(serverName, version);
    if (target === null || target.status === 'deleted') {
      return this.fail(job.data, target === null ? 'the scanner does not know this version' : 'the version was deleted; deleted versions are not scanned', false);
    }

    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new ScanTimeoutError(this.options.timeoutMs)), this.options.timeoutMs);
    let result;
    try {
      result = await engine.scan(target, controller.signal);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (!isRetryable(error)) return this.fail(job.data, reason, false);
      if (job.attempt >= this.options.attempts) return this.fail(job.data, `${reason} (after ${job.attempt} attempts)`, true);
      throw error;
    } finally {
      clearTimeout(timer);
    }

    const trustLevel = trustLevelOf(result.findings, { packageIntegrity: result.packages.map((p) => p.integrityVerified), ownershipVerified: target.ownershipVerified });
    const completed = await commands.execute(
      {
        type: 'CompleteScan',
        serverName,
        version,
        rulesVersion: result.rulesVersion,
        requestNumber,
        result: { score: scoreOf(result.findings), trustLevel, findings: withinBudget(result.findings), tools: result.toolHashes, toolListHash: result.toolListHash },
        now: this.now(),
      },
      serviceContext(this.now()),
    );
    if (completed.events.length === 0) return 'already-finished';
    try {
      await this.options.afterCompleted?.(target, completed.state);
    } catch (error) {
      // The scan is recorded; an automatic approval that lost a race to a reviewer is not a failed scan.
      this.options.logger?.warn({ err: error, serverName, version }, 'after-scan step failed');
    }
    return 'completed';
  }

  private async fail(job: ScanJobData, reason: string, retryable: boolean): Promise<ScanJobOutcome> {
    const result = await this.options.commands.execute(
      { type: 'FailScan', serverName: job.serverName, version: job.version, rulesVersion: this.options.engine.rulesVersion, requestNumber: job.requestNumber, reason, retryable, now: this.now() },
      serviceContext(this.now()),
    );
    return result.events.length === 0 ? 'already-finished' : 'failed';
  }
}
