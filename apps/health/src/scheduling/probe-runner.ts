import type { CommandContext, HealthStatus } from '@toolport/contracts';
import { handle, type PostgresEventStore, withTransaction } from '@toolport/event-store';
import type { Pool } from 'pg';
import { endpointStreamId, type EndpointRef } from '../endpoint-status/endpoint';
import { driftKey, endpointDecider, type RecordProbe } from '../endpoint-status/endpoint.decide';
import type { StatusThresholds } from '../endpoint-status/hysteresis';
import { approvedBaseline, declaredBaseline, type DriftBaseline, toolDrift } from '../endpoint-status/tool-drift';
import type { Prober } from '../probing/probe-result';
import type { HeaderSecrets } from '../targets/header-secrets';
import { resolveTarget } from '../targets/target-resolution';
import type { VersionTools } from '../targets/target';
import { transactionalStore } from './transactional-store';
import { insertProbe, type LoadedTarget, loadTarget, lockEndpoint, recentOutcomes, rollUpAndPrune, updateEndpoint } from './probe-store';

export interface ProbeRunnerOptions {
  pool: Pool;
  schema: string;
  store: PostgresEventStore;
  prober: Prober;
  secrets: HeaderSecrets;
  thresholds: StatusThresholds;
  probesKept: number;
  /** Names this replica in the stored probes. */
  worker: string;
  now?: () => Date;
}

export type ProbeRunOutcome =
  | { kind: 'gone' }
  | { kind: 'unprobeable'; reason: string }
  | { kind: 'duplicate' }
  | { kind: 'probed'; previous: HealthStatus | null; status: HealthStatus | null };

const CONTEXT = (now: Date): CommandContext => ({ actor: { kind: 'service', id: 'health' }, correlationId: 'probe', now });

/** The baseline a live list is compared with: the approved hashes, else the declared tools; null when there is neither. */
export function baselineOf(tools: VersionTools): DriftBaseline | null {
  if (tools.approved) return approvedBaseline(tools.approved.tools, tools.approved.listHash, tools.declared);
  // Nothing declared and nothing approved: nothing to compare with (every tool would be "added").
  if (tools.declared.length === 0) return null;
  return declaredBaseline(tools.declared, tools.declaredListHash);
}

const refOf = (t: LoadedTarget): EndpointRef => ({ serverName: t.row.serverName, version: t.row.version, remoteUrl: t.row.remoteUrl });

/**
 * One probe job: probe the target, then in ONE transaction record the probe (unique per
 * scheduled slot), decide on the endpoint's status and drift with the stored recent probes, append
 * the events with the stream's expected version, and update the live row. A job that runs twice
 * for one slot records and decides once; a crash between probe and commit records nothing.
 */
export class ProbeRunner {
  private readonly now: () => Date;

  constructor(private readonly o: ProbeRunnerOptions) {
    this.now = o.now ?? (() => new Date());
  }

  async run(targetId: string, slotAt: Date, signal?: AbortSignal): Promise<ProbeRunOutcome> {
    const target = await loadTarget(this.o.pool, this.o.schema, targetId);
    if (!target || !target.row.active) return { kind: 'gone' };
    const resolution = resolveTarget(target.row, this.o.secrets);
    if (!resolution.probeable) {
      await this.markUnprobeable(target, resolution.reason);
      return { kind: 'unprobeable', reason: resolution.reason };
    }
    const startedAt = this.now();
    const result = await this.o.prober.probe(resolution.target, signal);
    const at = this.now();
    return withTransaction(this.o.pool, async (tx) => {
      if (!(await insertProbe(tx, this.o.schema, targetId, slotAt, startedAt, result, this.o.worker))) return { kind: 'duplicate' } as const;
      const live = await lockEndpoint(tx, this.o.schema, targetId);
      const { downAfter, upAfter } = this.o.thresholds;
      const recent = await recentOutcomes(tx, this.o.schema, targetId, Math.max(downAfter, upAfter) + 1);
      const baseline = result.outcome === 'ok' ? baselineOf(target.tools) : null;
      const observed = result.outcome === 'ok' ? { listHash: result.toolListHash, tools: result.tools } : null;
      const command: RecordProbe = {
        type: 'RecordProbe',
        endpoint: refOf(target),
        at: at.toISOString(),
        recent,
        thresholds: this.o.thresholds,
        tools: baseline && observed ? { baseline, observed, previousDriftKey: live.driftKey } : null,
      };
      // Conflicts cannot happen here: the endpoint row lock above serialises the writers of this stream.
      const decided = await handle(transactionalStore(this.o.store, tx, this.o.schema), endpointStreamId(targetId), endpointDecider, command, CONTEXT(at));
      const changed = decided.events.some((e) => e.type === 'HealthStatusChanged');
      const drift = baseline && observed ? toolDrift(baseline, observed) : null;
      await updateEndpoint(tx, this.o.schema, targetId, {
        status: decided.state.status,
        reason: decided.state.reason,
        statusChangedAt: changed ? at : null,
        probedAt: at,
        ...(observed ? { observed: { tools: observed.tools, listHash: observed.listHash, driftKey: drift && baseline ? driftKey(baseline.listHash, observed.listHash) : null, drift } } : {}),
      });
      await rollUpAndPrune(tx, this.o.schema, targetId, at, result.outcome === 'ok', this.o.probesKept);
      return { kind: 'probed', previous: target.status, status: decided.state.status } as const;
    });
  }

  /** Status `unprobeable` with the reason (once: the decider appends nothing when it already is). */
  async markUnprobeable(target: LoadedTarget, reason: string): Promise<void> {
    const at = this.now();
    await withTransaction(this.o.pool, async (tx) => {
      await lockEndpoint(tx, this.o.schema, target.row.targetId);
      const decided = await handle(
        transactionalStore(this.o.store, tx, this.o.schema),
        endpointStreamId(target.row.targetId),
        endpointDecider,
        { type: 'MarkUnprobeable', endpoint: refOf(target), at: at.toISOString(), reason },
        CONTEXT(at),
      );
      if (decided.events.length > 0) await updateEndpoint(tx, this.o.schema, target.row.targetId, { status: 'unprobeable', reason, statusChangedAt: at, probedAt: null });
    });
  }
}
