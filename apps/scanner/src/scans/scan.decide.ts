import { ToolportError } from '@toolport/contracts';
import type { Decider } from '@toolport/event-store';
import { evolveScan, initialScanState, openRequest, type ScanCompletedData, type ScanEvent, type ScanReason, type ScanState } from './scan';

interface VersionCommand {
  serverName: string;
  version: string;
  /** The combined rules version of the scanner deciding (composeRulesVersion). */
  rulesVersion: string;
  now: Date;
}

export interface RequestScan extends VersionCommand {
  type: 'RequestScan';
  reason: ScanReason;
  /** For `retry`: how many automatic retries in a row are allowed (the operator's limit). */
  retryLimit?: number;
}

/** What a finished scan found: the worker's result for request `requestNumber`. */
export interface CompleteScan extends VersionCommand {
  type: 'CompleteScan';
  requestNumber: number;
  result: Pick<ScanCompletedData, 'score' | 'trustLevel' | 'findings' | 'tools' | 'toolListHash'>;
}

export interface FailScan extends VersionCommand {
  type: 'FailScan';
  requestNumber: number;
  reason: string;
  retryable: boolean;
}

export type ScanCommand = RequestScan | CompleteScan | FailScan;

export class UnknownScanRequestError extends ToolportError {
  constructor(streamVersion: string, requestNumber: number) {
    super('not_found', 'SCAN_REQUEST_NOT_FOUND', `scan request ${requestNumber} of ${streamVersion} does not exist`);
  }
}

/**
 * When a request adds nothing (so redeliveries and repeated triggers collapse):
 * - `published`: a version is published once, so it is scanned for that reason once.
 * - any reason while a request is still open: that request's scan has not finished, and since
 *   a scan reads the version as it is when it runs, it answers this request too.
 * - `rules-changed`: when the last finished scan already ran with these rules.
 * - `retry`: unless the last one failed retryably and the retries in a row are under the limit.
 */
function requestScan(command: RequestScan, state: ScanState): ScanEvent[] {
  if (command.reason === 'published' && state.requests.length > 0) return [];
  if (openRequest(state) !== null) return [];
  if (command.reason === 'rules-changed' && state.lastFinished?.data.rulesVersion === command.rulesVersion) return [];
  if (command.reason === 'retry' && !retryDue(state, command.retryLimit ?? 0)) return [];
  return [
    {
      type: 'ScanRequested',
      data: {
        serverName: command.serverName,
        version: command.version,
        rulesVersion: command.rulesVersion,
        reason: command.reason,
        requestedAt: command.now.toISOString(),
        requestNumber: state.requests.length + 1,
      },
    },
  ];
}

/**
 * `retry`: only after a failure that retrying can help (a registry answering 503, a timeout),
 * and at most `limit` automatic retries in a row, so a package that stays unreachable stops
 * being fetched until someone asks for a rescan.
 */
function retryDue(state: ScanState, limit: number): boolean {
  const last = state.lastFinished;
  if (last?.kind !== 'failed' || !last.data.retryable) return false;
  let retries = 0;
  for (let i = state.requests.length - 1; i >= 0 && state.requests[i]!.reason === 'retry'; i--) retries++;
  return retries < limit;
}

/** A result for a request already finished (a retried job after its worker died) adds nothing. */
function finishable(command: CompleteScan | FailScan, state: ScanState): boolean {
  if (command.requestNumber > state.requests.length || command.requestNumber < 1) {
    throw new UnknownScanRequestError(`${command.serverName}@${command.version}`, command.requestNumber);
  }
  return command.requestNumber > state.finishedThrough;
}

export function decideScan(command: ScanCommand, state: ScanState): ScanEvent[] {
  const ref = { serverName: command.serverName, version: command.version, rulesVersion: command.rulesVersion };
  switch (command.type) {
    case 'RequestScan':
      return requestScan(command, state);
    case 'CompleteScan':
      if (!finishable(command, state)) return [];
      return [{ type: 'ScanCompleted', data: { ...ref, ...command.result, completedAt: command.now.toISOString(), requestNumber: command.requestNumber } }];
    case 'FailScan':
      if (!finishable(command, state)) return [];
      return [
        {
          type: 'ScanFailed',
          data: { ...ref, reason: command.reason.slice(0, 2000), retryable: command.retryable, failedAt: command.now.toISOString(), requestNumber: command.requestNumber },
        },
      ];
  }
}

export const scanDecider: Decider<ScanState, ScanCommand, ScanEvent> = {
  initialState: initialScanState,
  evolve: evolveScan,
  decide: decideScan,
};
