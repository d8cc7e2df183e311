import { DeciderSpecification } from '@toolport/event-store';
import type { ScanEvent } from './scan';
import { type CompleteScan, type FailScan, type RequestScan, scanDecider, UnknownScanRequestError } from './scan.decide';

const spec = DeciderSpecification.for(scanDecider);
const now = new Date('2026-01-02T03:04:05.000Z');
const ref = { serverName: 'com.acme/weather', version: '1.0.0' };
const HASH = 'a'.repeat(64);

const request = (reason: RequestScan['reason'], rulesVersion = 'r1'): RequestScan => ({ type: 'RequestScan', ...ref, reason, rulesVersion, now });
const requested = (requestNumber: number, reason: RequestScan['reason'] = 'published', rulesVersion = 'r1'): ScanEvent => ({
  type: 'ScanRequested',
  data: { ...ref, rulesVersion, reason, requestedAt: now.toISOString(), requestNumber },
});
const result: CompleteScan['result'] = { score: 100, trustLevel: 'passed', findings: [], tools: [{ name: 'forecast', hash: HASH }], toolListHash: HASH };
const complete = (requestNumber: number, rulesVersion = 'r1'): CompleteScan => ({ type: 'CompleteScan', ...ref, rulesVersion, requestNumber, result, now });
const completed = (requestNumber: number, rulesVersion = 'r1'): ScanEvent => ({
  type: 'ScanCompleted',
  data: { ...ref, rulesVersion, ...result, completedAt: now.toISOString(), requestNumber },
});
const fail = (requestNumber: number, retryable: boolean): FailScan => ({ type: 'FailScan', ...ref, rulesVersion: 'r1', requestNumber, reason: 'registry down', retryable, now });
const failed = (requestNumber: number, retryable: boolean): ScanEvent => ({
  type: 'ScanFailed',
  data: { ...ref, rulesVersion: 'r1', reason: 'registry down', retryable, failedAt: now.toISOString(), requestNumber },
});

describe('scan decider: requests', () => {
  it('requests the first scan of a published version with number 1', () => {
    spec.given([]).when(request('published')).then([requested(1)]);
  });

  it('does not request again for a redelivered publish, open or finished', () => {
    spec.given([requested(1)]).when(request('published')).thenNothingHappened();
    spec.given([requested(1), completed(1)]).when(request('published')).thenNothingHappened();
  });

  it('collapses any request into one still open', () => {
    spec.given([requested(1)]).when(request('rescan')).thenNothingHappened();
    spec.given([requested(1)]).when(request('drift')).thenNothingHappened();
  });

  it('numbers a rescan or drift after a finished scan as the next request', () => {
    spec.given([requested(1), completed(1)]).when(request('rescan')).then([requested(2, 'rescan')]);
    spec.given([requested(1), failed(1, false)]).when(request('drift')).then([requested(2, 'drift')]);
  });

  it('retries a retryable failure automatically, up to the limit in a row', () => {
    const retry: RequestScan = { ...request('retry'), retryLimit: 2 };
    spec.given([requested(1), failed(1, true)]).when(retry).then([requested(2, 'retry')]);
    spec.given([requested(1), failed(1, true), requested(2, 'retry'), failed(2, true)]).when(retry).then([requested(3, 'retry')]);
    spec.given([requested(1), failed(1, true), requested(2, 'retry'), failed(2, true), requested(3, 'retry'), failed(3, true)]).when(retry).thenNothingHappened();
    // A reviewer's rescan in between starts the count again.
    spec.given([requested(1), failed(1, true), requested(2, 'retry'), failed(2, true), requested(3, 'rescan'), failed(3, true)]).when(retry).then([requested(4, 'retry')]);
  });

  it('never retries automatically what retrying cannot help, a completed scan, an open request, or with no limit', () => {
    const retry: RequestScan = { ...request('retry'), retryLimit: 3 };
    spec.given([requested(1), failed(1, false)]).when(retry).thenNothingHappened();
    spec.given([requested(1), completed(1)]).when(retry).thenNothingHappened();
    spec.given([requested(1), failed(1, true), requested(2, 'rescan')]).when(retry).thenNothingHappened();
    spec.given([requested(1), failed(1, true)]).when(request('retry')).thenNothingHappened();
  });

  it('asks for a rules-changed scan only when the last finished one ran other rules', () => {
    spec.given([requested(1), completed(1)]).when(request('rules-changed', 'r1')).thenNothingHappened();
    spec.given([requested(1), completed(1)]).when(request('rules-changed', 'r2')).then([requested(2, 'rules-changed', 'r2')]);
  });
});

describe('scan decider: results', () => {
  it('completes an open request', () => {
    spec.given([requested(1)]).when(complete(1)).then([completed(1)]);
  });

  it('completes a request once: a retried job after its worker died adds nothing', () => {
    spec.given([requested(1), completed(1)]).when(complete(1)).thenNothingHappened();
    spec.given([requested(1), completed(1)]).when(fail(1, true)).thenNothingHappened();
    spec.given([requested(1), failed(1, false)]).when(complete(1)).thenNothingHappened();
  });

  it('a later request finished first also finishes the earlier one', () => {
    const history = [requested(1), completed(1), requested(2, 'rescan'), requested(3, 'drift')];
    spec.given([...history, completed(3)]).when(complete(2)).thenNothingHappened();
    spec.given(history).when(complete(2)).then([completed(2)]);
  });

  it('records a failure with whether retrying can help', () => {
    spec.given([requested(1)]).when(fail(1, false)).then([failed(1, false)]);
    spec.given([requested(1)]).when(fail(1, true)).then([failed(1, true)]);
  });

  it('refuses a result for a request that does not exist', () => {
    spec.given([]).when(complete(1)).thenThrows(UnknownScanRequestError);
    spec.given([requested(1)]).when(fail(2, false)).thenThrows(UnknownScanRequestError);
  });
});

describe('scan state', () => {
  it('folds events without requestNumber (written before it existed) by counting', () => {
    const legacy: ScanEvent[] = [
      { type: 'ScanRequested', data: { ...ref, rulesVersion: 'r1', reason: 'published', requestedAt: now.toISOString() } },
      { type: 'ScanCompleted', data: { ...ref, rulesVersion: 'r1', ...result, completedAt: now.toISOString() } },
    ];
    const state = legacy.reduce(scanDecider.evolve, scanDecider.initialState());
    expect(state.finishedThrough).toBe(1);
    expect(state.requests[0]).toMatchObject({ number: 1, outcome: { kind: 'completed' } });
    spec.given(legacy).when(request('rescan')).then([requested(2, 'rescan')]);
  });
});
