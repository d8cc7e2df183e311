import type { Finding } from '../analyzers/finding';
import { FINDINGS_OMITTED_RULE, withinBudget } from './finding-budget';

const finding = (i: number, severity: Finding['severity']): Finding => ({
  ruleId: 'TP-TEST-001',
  ruleVersion: 't',
  severity,
  confidence: 'high',
  location: `file.js:${i}`,
  evidence: 'x'.repeat(100),
  message: 'm',
});

describe('withinBudget', () => {
  it('keeps everything that fits', () => {
    const all = [finding(1, 'high'), finding(2, 'low')];
    expect(withinBudget(all)).toEqual(all);
  });

  it('cuts the tail and says how many of which severity were left out', () => {
    const all = [finding(1, 'critical'), ...Array.from({ length: 50 }, (_, i) => finding(i + 2, 'medium')), finding(99, 'low')];
    const kept = withinBudget(all, 2000);
    const note = kept[kept.length - 1]!;
    expect(kept[0]).toEqual(all[0]);
    expect(note).toMatchObject({ ruleId: FINDINGS_OMITTED_RULE, severity: 'info' });
    expect(kept.length - 1 + Number(/(\d+) more/.exec(note.message)![1])).toBe(all.length);
    expect(note.evidence).toMatch(/medium: \d+, low: 1/);
    expect(Buffer.byteLength(JSON.stringify(kept.slice(0, -1)))).toBeLessThanOrEqual(2000);
  });
});
