import type { Logger } from '@toolport/observability';
import type { Pool } from 'pg';
import type { ScanState } from './scan';
import type { ScanCommands } from './scan-commands';
import type { ScanJobData, ScanScheduler } from './scan-job';
import type { ScannedVersion, ScanVersions } from './scan-versions';
import { serviceContext } from './scan-processor';

export interface ReconcileReport {
  /** Open requests whose job was put on the queue again (added: BullMQ did not have it). */
  reenqueued: number;
  added: number;
  /** Active versions that had no scan at all and got one requested. */
  requestedMissing: number;
  /** Versions whose last finished scan ran other rules and got a rules-changed request. */
  requestedRulesChanged: number;
  /** Versions whose last scan failed retryably long enough ago and got a retry request. */
  requestedRetries: number;
  /** Verified versions left pending in an auto-approved namespace, approved now. */
  autoApproved: number;
}

const BATCH = 500;

/**
 * Makes the queue match what the events say (DESIGN.md "Jobs"): Redis keeps nothing on disk,
 * so the events are the truth and this puts back whatever Redis lost.
 *
 * Safe on several replicas at once without a lock: re-enqueueing uses the request's job id, so
 * a job BullMQ still holds is not duplicated; and requests go through the scan decider, which
 * decides nothing when a request is already open (or the rules already match), with the
 * stream's expected version catching the race, so two replicas append one request between them.
 */
export class ScanReconciler {
  constructor(
    private readonly options: {
      pool: Pool;
      schema: string;
      commands: ScanCommands;
      scheduler: ScanScheduler;
      rulesVersion: string;
      logger: Logger;
      /** Re-offers verified, still-pending versions to auto-approval (a worker may die between the two). */
      autoApproval?: { afterCompleted(version: ScannedVersion, scan: ScanState): Promise<boolean> };
      versions?: ScanVersions;
      /**
       * A scan that failed retryably (its job's attempts ran out on a registry answering 503, a
       * timeout) is requested again once it failed this long ago, at most `limit` times in a row.
       * Absent or limit 0: never (a reviewer rescans).
       */
      retryFailed?: { afterMs: number; limit: number };
    },
  ) {}

  async reconcile(): Promise<ReconcileReport> {
    const report: ReconcileReport = { reenqueued: 0, added: 0, requestedMissing: 0, requestedRulesChanged: 0, requestedRetries: 0, autoApproved: 0 };
    const { pool, schema } = this.options;

    // 1. Every open request: its job again, under the same id.
    for (let after: [string, string] = ['', '']; ; ) {
      const { rows } = await pool.query<{ server_name: string; version: string; state: ScanState }>(
        `SELECT server_name, version, state FROM ${schema}.scan_state
         WHERE requests > finished_through AND (server_name, version) > ($1, $2) ORDER BY server_name, version LIMIT ${BATCH}`,
        after,
      );
      for (const row of rows) {
        const last = row.state.requests[row.state.requests.length - 1]!;
        const { created } = await this.options.scheduler.enqueue({ serverName: row.server_name, version: row.version, requestNumber: last.number, rulesVersion: last.rulesVersion });
        report.reenqueued += 1;
        if (created) report.added += 1;
      }
      if (rows.length < BATCH) break;
      after = [rows[rows.length - 1]!.server_name, rows[rows.length - 1]!.version];
    }

    // 2. Active versions never scanned, 3. versions whose last scan ran other rules.
    report.requestedMissing = await this.requestEach(
      `SELECT v.server_name, v.version FROM ${schema}.scan_versions v LEFT JOIN ${schema}.scan_state s USING (server_name, version)
       WHERE v.status = 'active' AND s.server_name IS NULL`,
      [],
      'published',
    );
    report.requestedRulesChanged = await this.requestEach(
      `SELECT v.server_name, v.version FROM ${schema}.scan_versions v JOIN ${schema}.scan_state s USING (server_name, version)
       WHERE v.status <> 'deleted' AND s.requests = s.finished_through AND s.last_finished_rules_version IS DISTINCT FROM $1`,
      [this.options.rulesVersion],
      'rules-changed',
    );
    // 4. Versions whose last scan failed retryably, once the failure is old enough (the scan
    //    decider enforces the limit of retries in a row).
    const retry = this.options.retryFailed;
    if (retry !== undefined && retry.limit > 0) {
      report.requestedRetries = await this.requestEach(
        `SELECT v.server_name, v.version FROM ${schema}.scan_versions v JOIN ${schema}.scan_state s USING (server_name, version)
         WHERE v.status <> 'deleted' AND s.requests = s.finished_through
           AND s.state->'lastFinished'->>'kind' = 'failed' AND (s.state->'lastFinished'->'data'->>'retryable')::boolean
           AND (s.state->'lastFinished'->'data'->>'failedAt')::timestamptz <= now() - make_interval(secs => $1::double precision / 1000)`,
        [retry.afterMs],
        'retry',
      );
    }
    // 5. Auto-approval runs after ScanCompleted commits: a worker that died in between left a
    //    verified version pending. Offer each such version again (it decides nothing twice).
    report.autoApproved = await this.offerAutoApprovals();
    if (report.added + report.requestedMissing + report.requestedRulesChanged + report.requestedRetries + report.autoApproved > 0) this.options.logger.info({ ...report }, 'scan reconciler put back missing work');
    return report;
  }

  private async offerAutoApprovals(): Promise<number> {
    const { autoApproval, versions, pool, schema } = this.options;
    if (!autoApproval || !versions) return 0;
    const { rows } = await pool.query<{ server_name: string; version: string; state: ScanState }>(
      `SELECT s.server_name, s.version, s.state FROM ${schema}.scan_state s LEFT JOIN ${schema}.review_state r USING (server_name, version)
       WHERE s.state->'lastCompleted'->>'trustLevel' = 'verified' AND (r.server_name IS NULL OR r.decision = 'pending')`,
    );
    let approved = 0;
    for (const row of rows) {
      const version = await versions.get(row.server_name, row.version);
      if (version !== null && version.status !== 'deleted' && (await autoApproval.afterCompleted(version, row.state))) approved += 1;
    }
    return approved;
  }

  private async requestEach(sql: string, params: unknown[], reason: 'published' | 'rules-changed' | 'retry'): Promise<number> {
    const { rows } = await this.options.pool.query<{ server_name: string; version: string }>(sql, params);
    let requested = 0;
    for (const row of rows) {
      const { events } = await this.options.commands.execute(
        { type: 'RequestScan', serverName: row.server_name, version: row.version, reason, rulesVersion: this.options.rulesVersion, now: new Date(), retryLimit: this.options.retryFailed?.limit ?? 0 },
        serviceContext(),
      );
      for (const event of events) {
        const data = event.data as ScanJobData & { requestNumber: number };
        await this.options.scheduler.enqueue({ serverName: data.serverName, version: data.version, requestNumber: data.requestNumber, rulesVersion: data.rulesVersion });
        requested += 1;
      }
    }
    return requested;
  }
}
