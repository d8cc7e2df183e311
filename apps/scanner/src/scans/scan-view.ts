import { openRequest, type ScanRequest, type ScanState } from './scan';

export type ScanStatus = 'none' | 'pending' | 'completed' | 'failed';

/** What `GET /api/v1/scans/{serverName}/{version}` answers (and the review queue embeds). */
export interface ScanView {
  /** `pending` while a request is open (the last result, if any, stays below until the new one lands). */
  status: ScanStatus;
  /** Rules of the last finished scan, or of the open request when none finished. */
  rulesVersion: string | null;
  score: number | null;
  trustLevel: string | null;
  findings: unknown[];
  tools: { name: string; hash: string }[];
  toolListHash: string | null;
  completedAt: string | null;
  /** The last failure, when the last finished request failed. */
  failure: { reason: string; retryable: boolean; failedAt: string } | null;
  /** Every request, oldest first, with how it ended. */
  history: ScanRequest[];
}

export function scanView(state: ScanState | null): ScanView {
  const completed = state?.lastCompleted ?? null;
  const finished = state?.lastFinished ?? null;
  const open = state ? openRequest(state) : null;
  const status: ScanStatus = open ? 'pending' : finished === null ? 'none' : finished.kind;
  return {
    status,
    rulesVersion: finished?.data.rulesVersion ?? open?.rulesVersion ?? null,
    score: completed?.score ?? null,
    trustLevel: completed?.trustLevel ?? null,
    findings: completed?.findings ?? [],
    tools: completed?.tools ?? [],
    toolListHash: completed?.toolListHash ?? null,
    completedAt: completed?.completedAt ?? null,
    failure: finished?.kind === 'failed' ? { reason: finished.data.reason, retryable: finished.data.retryable, failedAt: finished.data.failedAt } : null,
    history: state?.requests ?? [],
  };
}
