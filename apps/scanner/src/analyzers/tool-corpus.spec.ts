import { join } from 'node:path';
import { readCorpus, type ToolItem } from '../eval/eval-corpus';
import { detectionFigures, describeFigures, isFlagged } from '../eval/eval-metrics';
import { severityRank, worstSeverity } from './finding';
import { analyzeTools } from './tool-analysis';

/**
 * The issue's evaluation format (`tools.jsonl`: {"id","label":"malicious|benign","tool"}) over a
 * hand-built corpus: one or more malicious tools per rule family, and benign tools chosen to trip
 * each rule's known false positives (security tools naming SSH keys, "IMPORTANT" as a word, emoji
 * ZWJ sequences, Persian/Hindi joiners, base64 images, another tool named without directives).
 * A tool is flagged when its worst finding is high or critical (issue 5, "flagged = worst ≥ high").
 */
const corpus = readCorpus(join(__dirname, '..', '..', 'corpus')).filter((item): item is ToolItem => item.set === 'tools');

const results = corpus.map((item) => {
  const findings = analyzeTools([item.tool]);
  return { item, findings, flagged: isFlagged(findings), worst: worstSeverity(findings) };
});

const figures = detectionFigures(results.map((r) => ({ flagged: r.flagged, shouldFlag: r.item.label === 'malicious' })));
const precision = figures.precision ?? 0;
const recall = figures.recall ?? 0;

const PRECISION_THRESHOLD = 0.95;
const RECALL_THRESHOLD = 0.95;

describe('tool-description analyzers over the tools.jsonl corpus', () => {
  it('is a balanced corpus of at least 40 items with unique ids', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    expect(new Set(corpus.map((c) => c.id)).size).toBe(corpus.length);
    expect(corpus.filter((c) => c.label === 'malicious').length).toBe(corpus.filter((c) => c.label === 'benign').length);
  });

  it(`meets precision >= ${PRECISION_THRESHOLD} and recall >= ${RECALL_THRESHOLD}: ${describeFigures(figures)}`, () => {
    console.log(`tools.jsonl: ${describeFigures(figures)}`);
    const wrong = results
      .filter((r) => r.flagged !== (r.item.label === 'malicious'))
      .map((r) => `${r.item.id} (${r.item.label}, worst ${r.worst ?? 'none'}): ${r.findings.map((f) => `${f.ruleId}/${f.severity} ${f.location}`).join('; ')}`);
    if (wrong.length > 0) console.log(`misclassified:\n${wrong.join('\n')}`);
    expect(precision).toBeGreaterThanOrEqual(PRECISION_THRESHOLD);
    expect(recall).toBeGreaterThanOrEqual(RECALL_THRESHOLD);
  });

  /** The rule family each malicious item was written for: each analyzer must catch its own cases at high or worse. */
  const EXPECTED_RULE: Record<string, string> = {
    'm-invariant-add': 'TP-TOOL-020',
    'm-ssh-key-notes': 'TP-TOOL-003',
    'm-silent-forward': 'TP-TOOL-002',
    'm-shadow-bcc': 'TP-TOOL-016',
    'm-shadow-git': 'TP-TOOL-016',
    'm-whatsapp-recipient': 'TP-TOOL-016',
    'm-trigger-thanks': 'TP-TOOL-006',
    'm-trigger-every-message': 'TP-TOOL-006',
    'm-line-jump': 'TP-TOOL-006',
    'm-magic-history': 'TP-TOOL-005',
    'm-harvest-feedback': 'TP-TOOL-004',
    'm-harvest-secrets': 'TP-TOOL-004',
    'm-tag-smuggling': 'TP-TOOL-007',
    'm-bidi-override': 'TP-TOOL-008',
    'm-zero-width-binary': 'TP-TOOL-009',
    'm-ansi-conceal': 'TP-TOOL-011',
    'm-base64-payload': 'TP-TOOL-012',
    'm-hex-payload': 'TP-TOOL-012',
    'm-html-comment': 'TP-TOOL-013',
    'm-markdown-image': 'TP-TOOL-014',
    'm-padding': 'TP-TOOL-015',
    'm-curl-sh': 'TP-TOOL-017',
    'm-mcp-config': 'TP-TOOL-017',
    'm-enum-poison': 'TP-TOOL-001',
    'm-default-poison': 'TP-TOOL-020',
    'm-param-name-poison': 'TP-TOOL-005',
    'm-percent-payload': 'TP-TOOL-012',
    'm-unicode-escape': 'TP-TOOL-012',
    'm-homoglyph-name': 'TP-TOOL-010',
    'm-variation-selectors': 'TP-TOOL-009',
    'm-no-confirmation': 'TP-TOOL-001',
    'm-env-in-metadata': 'TP-TOOL-003',
    'm-chain-of-thought': 'TP-TOOL-005',
    'm-hidden-span': 'TP-TOOL-013',
    'm-gh-hosts': 'TP-TOOL-003',
    'm-never-disclose-history': 'TP-TOOL-002',
    'm-trigger-goodbye': 'TP-TOOL-006',
    'm-zero-width-then-passwords': 'TP-TOOL-004',
    'm-base64-shadowing': 'TP-TOOL-012',
    'm-dotenv-config-param': 'TP-TOOL-003',
    'm-session-context-instructions': 'TP-TOOL-004',
    'm-padding-void-instructions': 'TP-TOOL-001',
  };

  it('names a rule for every malicious item', () => {
    expect(Object.keys(EXPECTED_RULE).sort()).toEqual(corpus.filter((c) => c.label === 'malicious').map((c) => c.id).sort());
  });

  it.each(Object.entries(EXPECTED_RULE))('%s is caught by %s at high or worse', (id, ruleId) => {
    const result = results.find((r) => r.item.id === id)!;
    expect(result.findings.filter((f) => f.ruleId === ruleId && severityRank(f.severity) <= severityRank('high')).length).toBeGreaterThan(0);
  });

  it('every benign item stays below high', () => {
    expect(results.filter((r) => r.item.label === 'benign' && r.flagged).map((r) => r.item.id)).toEqual([]);
  });
});
