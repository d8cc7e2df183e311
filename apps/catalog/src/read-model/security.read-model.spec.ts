import { approved, rejected, revoked, scanCompleted, scanFailed, scanRequested } from '../__fixtures__/catalog-events';
import type { ScannerCatalogEvent } from './catalog-events';
import { evolveSecurity, initialSecurityState, type SecurityState } from './security.read-model';

const NAME = 'io.github.acme/weather';
const replay = (events: ScannerCatalogEvent[]): SecurityState => events.reduce<SecurityState | null>(evolveSecurity, null)!;

describe('evolveSecurity', () => {
  it('counts findings by severity and takes score, trust level and tool hash from a completed scan', () => {
    const state = replay([scanRequested(NAME, '1.0.0'), scanCompleted(NAME, '1.0.0', { score: 55, trustLevel: 'needs-review', severities: ['high', 'high', 'low', 'info'] })]);
    expect(state).toMatchObject({ scanStatus: 'completed', score: 55, trustLevel: 'needs-review', scanFinishedAt: '2025-06-01T10:00:02.000Z', approval: 'pending' });
    expect(state.findings).toEqual({ critical: 0, high: 2, medium: 0, low: 1, info: 1 });
  });

  it('keeps the last verdict while a rescan is pending, and clears a failure on the next request', () => {
    const rescanning = replay([scanCompleted(NAME, '1.0.0', { score: 80 }), scanRequested(NAME, '1.0.0', '2025-06-03T00:00:00.000Z')]);
    expect(rescanning).toMatchObject({ scanStatus: 'pending', score: 80, trustLevel: 'passed', scanRequestedAt: '2025-06-03T00:00:00.000Z' });
    const failed = evolveSecurity(rescanning, scanFailed(NAME, '1.0.0'));
    expect(failed).toMatchObject({ scanStatus: 'failed', scanFailure: 'registry unreachable', score: 80 });
    expect(evolveSecurity(failed, scanRequested(NAME, '1.0.0'))).toMatchObject({ scanStatus: 'pending', scanFailure: null });
  });

  it('records who approved, when and with which trust level; rejection and revocation replace it', () => {
    const approvedState = replay([scanCompleted(NAME, '1.0.0'), approved(NAME, '1.0.0', '2025-06-01T11:00:00.000Z')]);
    expect(approvedState).toMatchObject({
      approval: 'approved',
      approvalBy: { kind: 'user', id: 'rita-reviewer' },
      approvalAt: '2025-06-01T11:00:00.000Z',
      approvalJustification: 'looks fine',
      approvalAutomatic: false,
      trustLevel: 'verified',
    });
    expect(evolveSecurity(approvedState, revoked(NAME, '1.0.0'))).toMatchObject({ approval: 'revoked', approvalAt: '2025-06-02T09:00:00.000Z' });
    expect(evolveSecurity(null, rejected(NAME, '1.0.0'))).toMatchObject({ approval: 'rejected', approvalJustification: 'exfiltrates', scanStatus: 'pending' });
  });

  it('starts pending with no verdict', () => {
    expect(initialSecurityState()).toMatchObject({ scanStatus: 'pending', approval: 'pending', trustLevel: null, score: null });
  });
});
