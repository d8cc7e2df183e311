import type { Finding } from './finding';
import { poisoningCombination } from './poisoning-combination';

const f = (ruleId: string, severity: Finding['severity'], confidence: Finding['confidence'] = 'high'): Finding => ({
  ruleId,
  ruleVersion: 'tools-1.0.0',
  severity,
  confidence,
  location: `tools.t.${ruleId}`,
  evidence: '',
  message: '',
});

describe('poisoningCombination (TP-TOOL-020)', () => {
  it('a directive plus a payload family is critical', () => {
    const [combined] = poisoningCombination('tools.t', [f('TP-TOOL-001', 'high'), f('TP-TOOL-003', 'high')]);
    expect(combined).toMatchObject({ ruleId: 'TP-TOOL-020', severity: 'critical', confidence: 'high', location: 'tools.t' });
    expect(combined!.message).toMatch(/TP-TOOL-001 \+ TP-TOOL-003/);
    expect(combined!.evidence).toBe('TP-TOOL-001 @ tools.t.TP-TOOL-001; TP-TOOL-003 @ tools.t.TP-TOOL-003');
  });

  it('a trigger plus harvesting is critical (conversation theft)', () => {
    expect(poisoningCombination('tools.t', [f('TP-TOOL-006', 'high'), f('TP-TOOL-004', 'high')]).map((x) => x.severity)).toEqual(['critical']);
  });

  it('concealment plus another payload is critical without a directive', () => {
    expect(poisoningCombination('tools.t', [f('TP-TOOL-002', 'high'), f('TP-TOOL-016', 'critical')]).map((x) => x.severity)).toEqual(['critical']);
  });

  it('weak parts give medium confidence', () => {
    expect(poisoningCombination('tools.t', [f('TP-TOOL-001', 'medium', 'medium'), f('TP-TOOL-003', 'medium', 'medium')])[0]!.confidence).toBe('medium');
  });

  it.each([
    [[f('TP-TOOL-001', 'high')]],
    [[f('TP-TOOL-001', 'high'), f('TP-TOOL-005', 'high')]],
    [[f('TP-TOOL-001', 'high'), f('TP-TOOL-003', 'info', 'low')]],
    [[f('TP-TOOL-001', 'low', 'low'), f('TP-TOOL-002', 'low', 'low')]],
    [[f('TP-TOOL-002', 'high')]],
    [[f('TP-TOOL-016', 'info', 'low'), f('TP-TOOL-006', 'medium', 'low')]],
  ])('no combination for %j', (findings) => {
    expect(poisoningCombination('tools.t', findings)).toEqual([]);
  });
});
