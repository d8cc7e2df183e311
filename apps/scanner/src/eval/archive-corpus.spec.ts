import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptyAdvisoryDatabase } from '../package-analyzers';
import { ARCHIVE_CASES } from './__fixtures__/archive-corpus';
import { type ArchiveItem, readCorpus } from './eval-corpus';
import { describeFigures } from './eval-metrics';
import { runEvaluation } from './eval-run';
import { evalScanners } from './eval-scanners';

const CORPUS = join(__dirname, '..', '..', 'corpus');

describe('the archives of the evaluation corpus (apps/scanner/corpus/archives.jsonl)', () => {
  const items = readCorpus(CORPUS).filter((item): item is ArchiveItem => item.set === 'archives');

  it('are exactly the archives __fixtures__/archive-corpus.ts builds, listed with their labels', () => {
    expect(items.map(({ id, label, should_flag }) => ({ id, label, should_flag }))).toEqual(ARCHIVE_CASES.map(({ id, label, should_flag }) => ({ id, label, should_flag })));
    for (const c of ARCHIVE_CASES) expect(readFileSync(join(CORPUS, c.file)).equals(c.bytes())).toBe(true);
  });

  it('are each judged as labelled by the production scan engine (unsafe archives are critical)', async () => {
    const report = await runEvaluation(items, evalScanners(emptyAdvisoryDatabase()));
    console.log(`archives.jsonl: ${describeFigures(report.summary.archives!)}`);
    const wrong = report.items.filter((v) => v.flagged !== v.shouldFlag).map((v) => `${v.id}: ${v.findings.map((f) => `${f.ruleId}/${f.severity}`).join(', ') || 'no findings'}`);
    expect(wrong).toEqual([]);
    for (const v of report.items.filter((i) => i.shouldFlag)) expect(v).toMatchObject({ worstSeverity: 'critical', trustLevel: 'rejected' });
  }, 60_000);
});
