import type { Finding } from '../analyzers/finding';
import { findingDeduction, scoreOf } from './score';
import { trustLevelOf } from './trust-level';

const finding = (severity: Finding['severity'], confidence: Finding['confidence'] = 'high'): Finding => ({
  ruleId: 'TP-TEST-001',
  ruleVersion: 'test-1',
  severity,
  confidence,
  location: 'tools.x.description',
  evidence: 'x',
  message: 'x',
});

describe('score', () => {
  it('is 100 without findings and for info findings only', () => {
    expect(scoreOf([])).toBe(100);
    expect(scoreOf([finding('info'), finding('info')])).toBe(100);
  });

  it('deducts by severity weighted by confidence', () => {
    expect(findingDeduction(finding('critical'))).toBe(60);
    expect(findingDeduction(finding('high', 'medium'))).toBe(15);
    expect(findingDeduction(finding('medium', 'low'))).toBe(3);
    expect(scoreOf([finding('high'), finding('medium'), finding('low')])).toBe(62);
    expect(scoreOf([finding('high', 'low')])).toBe(93); // 100 - 7.5, rounded
  });

  it('never goes below 0 and does not depend on order', () => {
    expect(scoreOf([finding('critical'), finding('critical')])).toBe(0);
    const list = [finding('high', 'medium'), finding('low'), finding('medium', 'low')];
    expect(scoreOf(list)).toBe(scoreOf([...list].reverse()));
  });
});

describe('trust level', () => {
  const verifiedEvidence = { packageIntegrity: [true, true], ownershipVerified: true };

  it('rejects on any critical finding, whatever else holds', () => {
    expect(trustLevelOf([finding('critical', 'low'), finding('low')], verifiedEvidence)).toBe('rejected');
  });

  it('needs review on a high finding', () => {
    expect(trustLevelOf([finding('high', 'low'), finding('medium')], verifiedEvidence)).toBe('needs-review');
  });

  it('verifies only with integrity of every package and ownership', () => {
    expect(trustLevelOf([finding('medium')], verifiedEvidence)).toBe('verified');
    expect(trustLevelOf([], { packageIntegrity: [true, false], ownershipVerified: true })).toBe('passed');
    expect(trustLevelOf([], { packageIntegrity: [true], ownershipVerified: false })).toBe('passed');
  });

  it('leaves a remote-only server (no package) at passed', () => {
    expect(trustLevelOf([], { packageIntegrity: [], ownershipVerified: true })).toBe('passed');
  });
});
