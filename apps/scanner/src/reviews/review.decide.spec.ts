import { ToolportError } from '@toolport/contracts';
import { DeciderSpecification } from '@toolport/event-store';
import type { ReviewEvent } from './review';
import { type ApproveVersion, reviewDecider } from './review.decide';

const spec = DeciderSpecification.for(reviewDecider);
const now = new Date('2026-02-03T04:05:06.000Z');
const at = now.toISOString();
const ref = { serverName: 'com.acme/weather', version: '1.0.0' };
const HASH = 'b'.repeat(64);
const scan = { trustLevel: 'passed' as const, tools: [{ name: 'forecast', hash: HASH }], toolListHash: HASH };
const reviewer = { mayPublish: false, publishedIt: false };

const approve = (overrides: Partial<ApproveVersion> = {}): ApproveVersion => ({ type: 'ApproveVersion', ...ref, justification: 'looked at it', now, scan, automatic: false, reviewer, ...overrides });
const approved = (automatic = false, justification = 'looked at it'): ReviewEvent => ({
  type: 'VersionApproved',
  data: { ...ref, justification, trustLevel: 'passed', tools: scan.tools, toolListHash: HASH, automatic, approvedAt: at },
});
const rejected: ReviewEvent = { type: 'VersionRejected', data: { ...ref, justification: 'no', rejectedAt: at } };
const revoked: ReviewEvent = { type: 'ApprovalRevoked', data: { ...ref, justification: 'changed my mind', revokedAt: at } };
const conflictWith = (code: string) => (error: unknown) => error instanceof ToolportError && error.kind === 'conflict' && error.code === code;

describe('review decider', () => {
  it('approves with the tools of the completed scan', () => {
    spec.given([]).when(approve()).then([approved()]);
  });

  it('trims the justification and requires one', () => {
    spec.given([]).when(approve({ justification: '  looked at it \n' })).then([approved()]);
    spec.given([]).when(approve({ justification: '   ' })).thenThrows(ToolportError, (e) => e.kind === 'invalid' && e.code === 'JUSTIFICATION_REQUIRED');
    spec.given([]).when({ type: 'RejectVersion', ...ref, justification: '', now }).thenThrows(ToolportError, (e) => e.kind === 'invalid');
  });

  it('refuses without a completed scan and on a rejected trust level', () => {
    spec.given([]).when(approve({ scan: null })).thenThrows(ToolportError, conflictWith('SCAN_NOT_COMPLETED'));
    spec.given([]).when(approve({ scan: { ...scan, trustLevel: 'rejected' } })).thenThrows(ToolportError, conflictWith('TRUST_LEVEL_REJECTED'));
  });

  it('keeps separation of duties for people, not for the automatic policy', () => {
    spec.given([]).when(approve({ reviewer: { mayPublish: true, publishedIt: false } })).thenThrows(ToolportError, conflictWith('SEPARATION_OF_DUTIES'));
    spec.given([]).when(approve({ reviewer: { mayPublish: false, publishedIt: true } })).thenThrows(ToolportError, conflictWith('SEPARATION_OF_DUTIES'));
    spec.given([]).when(approve({ automatic: true, reviewer: { mayPublish: true, publishedIt: true } })).then([approved(true)]);
  });

  it('does not approve twice, rejects, revokes and approves again after a revocation', () => {
    spec.given([approved()]).when(approve()).thenThrows(ToolportError, conflictWith('ALREADY_APPROVED'));
    spec.given([]).when({ type: 'RejectVersion', ...ref, justification: 'no', now }).then([rejected]);
    spec.given([rejected]).when({ type: 'RejectVersion', ...ref, justification: 'no', now }).thenThrows(ToolportError, conflictWith('ALREADY_REJECTED'));
    spec.given([approved()]).when({ type: 'RejectVersion', ...ref, justification: 'no', now }).thenThrows(ToolportError, conflictWith('APPROVAL_STANDS'));
    spec.given([approved()]).when({ type: 'RevokeApproval', ...ref, justification: 'changed my mind', now }).then([revoked]);
    spec.given([]).when({ type: 'RevokeApproval', ...ref, justification: 'x', now }).thenThrows(ToolportError, conflictWith('NOT_APPROVED'));
    spec.given([approved(), revoked]).when(approve()).then([approved()]);
    spec.given([rejected]).when(approve()).then([approved()]);
  });

  it('folds the history and what the standing approval covers', () => {
    const state = [approved(), revoked, rejected].reduce(reviewDecider.evolve, reviewDecider.initialState());
    expect(state.decision).toBe('rejected');
    expect(state.approved).toBeNull();
    expect(state.history.map((h) => h.kind)).toEqual(['approved', 'revoked', 'rejected']);
  });
});
