// `npm run scanner:eval -- <corpus-dir> [--report <file>] [--json] [--advisories <dir>]`: scans a
// corpus from disk with the real analyzers and prints each item's verdict and, per corpus file,
// precision, recall and false-positive rate (issue 5, "Evaluation tool").
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ProgressBar } from '@toolport/observability';
import { emptyAdvisoryDatabase, loadAdvisoryDatabase } from '../package-analyzers';
import { CORPUS_FILES, CorpusError, readCorpus } from './eval-corpus';
import { formatRatio } from './eval-metrics';
import { type EvalReport, runEvaluation } from './eval-run';
import { evalScanners } from './eval-scanners';

const HELP = `npm run scanner:eval -- <corpus-dir> [--report <file>] [--json] [--advisories <dir>]

Scans a corpus from disk with the scanner's real analyzers (the same engine a scan runs; package
code is never executed) and prints, per item, the verdict: worst severity, trust level and
flagged (worst finding high or critical); then, per corpus file, precision, recall and
false-positive rate.

The corpus directory holds any of:
  tools.jsonl      {"id","label":"malicious|benign","tool":{MCP Tool}}
  packages.jsonl   {"id","path","ecosystem":"npm|pypi|mcpb","label","should_flag"}  path: a directory
  archives.jsonl   {"id","path","label","should_flag"}  path: a .tgz, .zip, .mcpb or .whl file
Paths are relative to the corpus directory.

  --report <file>     also write the JSON report {"items":[...],"summary":{...}} to <file>
  --json              print the JSON report on stdout instead of tables (progress stays on stderr)
  --advisories <dir>  OSV advisory directory for the dependency analyzer
                      (default: <corpus-dir>/osv when it exists, otherwise no advisories)
  --help              this text

Exit status: 0 when the corpus was evaluated, 2 on a usage or corpus error.`;

interface Options {
  corpusDir: string;
  report: string | null;
  json: boolean;
  advisories: string | null;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): Options {
  const options: Options = { corpusDir: '', report: null, json: false, advisories: null };
  const value = (flag: string, next: string | undefined): string => {
    if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value (see --help)`);
    return next;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${HELP}\n`);
      process.exit(0);
    } else if (arg === '--json') options.json = true;
    else if (arg === '--report') options.report = value(arg, argv[++i]);
    else if (arg === '--advisories') options.advisories = value(arg, argv[++i]);
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg} (see --help)`);
    else if (options.corpusDir === '') options.corpusDir = arg;
    else throw new UsageError(`unexpected argument ${arg}: one corpus directory only (see --help)`);
  }
  if (options.corpusDir === '') throw new UsageError('the corpus directory is missing (see --help)');
  return options;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function printTables(report: EvalReport): void {
  const items = report.items.map((v) => [
    v.set,
    v.id,
    v.label,
    v.shouldFlag ? 'yes' : 'no',
    v.flagged ? 'yes' : 'no',
    v.worstSeverity ?? 'none',
    v.trustLevel,
    v.flagged === v.shouldFlag ? '' : v.flagged ? 'FALSE POSITIVE' : 'MISSED',
  ]);
  process.stdout.write(`${table(['set', 'id', 'label', 'should flag', 'flagged', 'worst', 'trust level', ''], items)}\n\n`);
  const sets = (['tools', 'packages', 'archives', 'overall'] as const).filter((s) => report.summary[s] !== undefined);
  const figures = sets.map((set) => {
    const f = report.summary[set]!;
    const file = set === 'overall' ? 'all files' : CORPUS_FILES[set];
    return [file, String(f.items), formatRatio(f.precision), formatRatio(f.recall), formatRatio(f.falsePositiveRate), String(f.truePositives), String(f.falsePositives), String(f.falseNegatives), String(f.trueNegatives)];
  });
  process.stdout.write(`${table(['file', 'items', 'precision', 'recall', 'FPR', 'tp', 'fp', 'fn', 'tn'], figures)}\n`);
  const run = report.summary.run;
  if (run) process.stdout.write(`\n${report.items.length} items in ${(run.durationMs / 1000).toFixed(1)} s, peak RSS ${(run.peakRssBytes / 1024 / 1024).toFixed(0)} MiB\n`);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const corpusDir = resolve(options.corpusDir);
  const items = readCorpus(corpusDir);
  const advisoryDir = options.advisories ?? (existsSync(join(corpusDir, 'osv')) ? join(corpusDir, 'osv') : null);
  const advisories = advisoryDir === null ? emptyAdvisoryDatabase() : await loadAdvisoryDatabase(resolve(advisoryDir));
  const bar = new ProgressBar('scanning', items.length);
  const startedAt = performance.now();
  const report = await runEvaluation(items, evalScanners(advisories), () => bar.tick());
  // maxRSS is in KiB (getrusage); bench/scanner reads it as the worker's peak memory.
  report.summary.run = { durationMs: Math.round(performance.now() - startedAt), peakRssBytes: process.resourceUsage().maxRSS * 1024 };
  bar.finish();
  if (options.report !== null) await writeFile(options.report, `${JSON.stringify(report, null, 2)}\n`);
  if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else printTables(report);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof CorpusError) {
    process.stderr.write(`scanner:eval: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`scanner:eval: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
