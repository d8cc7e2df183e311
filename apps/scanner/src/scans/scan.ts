import type { DataOf, EventOf, ScanCompleted, ScanFailed, ScanRequested } from '@toolport/contracts';

export type ScanRequestedData = DataOf<typeof ScanRequested>;
export type ScanCompletedData = DataOf<typeof ScanCompleted>;
export type ScanFailedData = DataOf<typeof ScanFailed>;
export type ScanReason = ScanRequestedData['reason'];

export type ScanEvent =
  | Pick<EventOf<typeof ScanRequested>, 'type' | 'data'>
  | Pick<EventOf<typeof ScanCompleted>, 'type' | 'data'>
  | Pick<EventOf<typeof ScanFailed>, 'type' | 'data'>;

/** One stream per server version: every request and result of scanning it. */
export const scanStreamId = (serverName: string, version: string): string => `scan-${serverName}@${version}`;

export interface ScanRequest {
  number: number;
  reason: ScanReason;
  rulesVersion: string;
  requestedAt: string;
  /** How it ended; null while it is open. */
  outcome: { kind: 'completed' | 'failed'; at: string; rulesVersion: string } | null;
}

export interface ScanState {
  requests: ScanRequest[];
  /**
   * Every request with a number up to this one is finished. A result finishes its own request
   * and every earlier open one: a scan is at least as fresh as what those asked for, so running
   * them again would only repeat it.
   */
  finishedThrough: number;
  lastCompleted: ScanCompletedData | null;
  /** The result that finished the latest finished request. */
  lastFinished: { kind: 'completed'; data: ScanCompletedData } | { kind: 'failed'; data: ScanFailedData } | null;
}

export const initialScanState = (): ScanState => ({ requests: [], finishedThrough: 0, lastCompleted: null, lastFinished: null });

/** The newest request that is still open, or null. */
export function openRequest(state: ScanState): ScanRequest | null {
  const last = state.requests[state.requests.length - 1];
  return last && last.number > state.finishedThrough ? last : null;
}

function finish(state: ScanState, through: number, outcome: NonNullable<ScanRequest['outcome']>): ScanRequest[] {
  return state.requests.map((r) => (r.outcome === null && r.number <= through ? { ...r, outcome } : r));
}

export function evolveScan(state: ScanState, event: ScanEvent): ScanState {
  switch (event.type) {
    case 'ScanRequested': {
      const { data } = event;
      const number = data.requestNumber ?? state.requests.length + 1;
      return { ...state, requests: [...state.requests, { number, reason: data.reason, rulesVersion: data.rulesVersion, requestedAt: data.requestedAt, outcome: null }] };
    }
    case 'ScanCompleted': {
      const { data } = event;
      // Events written before requestNumber existed finish everything requested so far.
      const through = Math.max(state.finishedThrough, data.requestNumber ?? state.requests.length);
      return {
        requests: finish(state, through, { kind: 'completed', at: data.completedAt, rulesVersion: data.rulesVersion }),
        finishedThrough: through,
        lastCompleted: data,
        lastFinished: { kind: 'completed', data },
      };
    }
    case 'ScanFailed': {
      const { data } = event;
      const through = Math.max(state.finishedThrough, data.requestNumber ?? state.requests.length);
      return {
        ...state,
        requests: finish(state, through, { kind: 'failed', at: data.failedAt, rulesVersion: data.rulesVersion }),
        finishedThrough: through,
        lastFinished: { kind: 'failed', data },
      };
    }
  }
}
