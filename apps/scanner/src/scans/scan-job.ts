import { createHash } from 'node:crypto';
import type { JobQueue } from '@toolport/jobs';

export const SCAN_QUEUE = 'scan';
export const SCAN_JOB_NAME = 'scan-version';

/** One job scans one request of one version. */
export interface ScanJobData {
  serverName: string;
  version: string;
  /** The request this job answers (its number in the version's scan stream). */
  requestNumber: number;
  /** The rules version the request was made with (part of the job id). */
  rulesVersion: string;
}

/**
 * The BullMQ job id of a request: derived from server, version, rules version and request
 * number, so every producer of the same request (the ScanRequested consumer, the rescan API, the
 * reconciler, a redelivery) names the same job and BullMQ keeps only one, while a later request
 * is a new job. Hashed because server names and versions may hold `:`, which BullMQ forbids.
 */
export function scanJobId(job: ScanJobData): string {
  const key = JSON.stringify([job.serverName, job.version, job.rulesVersion, job.requestNumber]);
  return `scan-${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
}

/** Puts a request's job on the `scan` queue; adding it again while BullMQ keeps it queues nothing. */
export class ScanScheduler {
  constructor(private readonly queue: JobQueue<ScanJobData>) {}

  async enqueue(job: ScanJobData): Promise<{ jobId: string; created: boolean }> {
    const jobId = scanJobId(job);
    const { created } = await this.queue.add(SCAN_JOB_NAME, job, { jobId });
    return { jobId, created };
  }
}
