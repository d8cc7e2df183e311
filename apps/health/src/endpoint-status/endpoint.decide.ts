import type { Decider } from '@toolport/event-store';
import { type EndpointEvent, type EndpointRef, type EndpointState, evolveEndpoint, initialEndpointState } from './endpoint';
import { nextStatus, type ProbeOutcome, type StatusThresholds } from './hysteresis';
import { type DriftBaseline, type ObservedTools, toolDrift } from './tool-drift';

/** A probe was made and stored; `recent` (newest first) includes it. */
export interface RecordProbe {
  type: 'RecordProbe';
  endpoint: EndpointRef;
  at: string;
  recent: readonly ProbeOutcome[];
  thresholds: StatusThresholds;
  /** For a successful probe with a baseline to compare with; null otherwise (no drift check). */
  tools: {
    baseline: DriftBaseline;
    observed: ObservedTools;
    /** driftKey of the endpoint's previous successful probe (null: it matched its baseline, or there was none). */
    previousDriftKey: string | null;
  } | null;
}

/** The endpoint cannot be probed (a URL variable without default, a required header without a configured value). */
export interface MarkUnprobeable {
  type: 'MarkUnprobeable';
  endpoint: EndpointRef;
  at: string;
  reason: string;
}

export type EndpointCommand = RecordProbe | MarkUnprobeable;

/** Identifies one drift: the same live list against the same baseline is reported once. */
export const driftKey = (baselineListHash: string, observedListHash: string): string => `${baselineListHash}:${observedListHash}`;

const REASON_LIMIT = 1000;
const cut = (reason: string): string => (reason.length <= REASON_LIMIT ? reason : `${reason.slice(0, REASON_LIMIT - 1)}…`);

/**
 * Status changes with hysteresis (hysteresis.ts) and tool drift (tool-drift.ts). Events only on
 * a change: HealthStatusChanged when the status moves; ToolDriftDetected when a successful
 * probe's list differs from the baseline and the previous successful probe did not show this
 * very drift (a list that drifts, comes back and drifts again is reported twice; one that stays
 * drifted, once). A list matching the baseline again appends nothing: the catalog keeps showing
 * the drift until a reviewer approves again (apps/catalog health.read-model.ts `driftActive`),
 * and the health API reports `drift.detected` from the latest probe.
 */
export function decideEndpoint(command: EndpointCommand, state: EndpointState): EndpointEvent[] {
  const { serverName, version, remoteUrl } = command.endpoint;
  if (command.type === 'MarkUnprobeable') {
    if (state.status === 'unprobeable') return [];
    return [
      {
        type: 'HealthStatusChanged',
        data: { serverName, version, remoteUrl, previousStatus: state.status, status: 'unprobeable', reason: cut(command.reason), latencyMs: null, checkedAt: command.at },
      },
    ] as EndpointEvent[];
  }

  const events: EndpointEvent[] = [];
  const verdict = nextStatus(state.status, command.recent, command.thresholds);
  if (verdict.status !== null && verdict.status !== state.status) {
    const newest = command.recent[0]!;
    events.push({
      type: 'HealthStatusChanged',
      data: {
        serverName,
        version,
        remoteUrl,
        previousStatus: state.status,
        status: verdict.status,
        reason: cut(verdict.reason),
        latencyMs: newest.outcome === 'ok' ? newest.totalMs : null,
        checkedAt: command.at,
        recentLatenciesMs: command.recent.slice(0, 10).map((p) => (p.outcome === 'ok' ? p.totalMs : null)),
      },
    } as EndpointEvent);
  }

  if (command.tools && command.recent[0]?.outcome === 'ok') {
    const { baseline, observed, previousDriftKey } = command.tools;
    const report = toolDrift(baseline, observed);
    if (report && driftKey(baseline.listHash, observed.listHash) !== previousDriftKey) {
      events.push({
        type: 'ToolDriftDetected',
        data: {
          serverName,
          version,
          remoteUrl,
          approvedToolListHash: baseline.listHash,
          observedToolListHash: observed.listHash,
          added: report.added,
          removed: report.removed,
          changed: report.changed,
          detectedAt: command.at,
          baseline: baseline.kind,
          tools: report.tools,
        },
      } as EndpointEvent);
    }
  }
  return events;
}

export const endpointDecider: Decider<EndpointState, EndpointCommand, EndpointEvent> = {
  initialState: initialEndpointState,
  evolve: evolveEndpoint,
  decide: decideEndpoint,
};
