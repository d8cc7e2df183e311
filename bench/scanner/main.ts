// Benchmark of the scanner (issue: scanner). Downloads the current npm tarballs of real MCP
// servers once (checked against dist.integrity), then has one scanner worker process, the
// `scanner:eval` CLI running the production scan engine (safe unpacking, package analyzers, tool
// analysis), scan them round after round: scans per minute and the worker's peak RSS. Then a
// fresh worker rejects a compression bomb (a few MiB of gzip inflating to --bomb-gib GiB): its
// peak RSS against the 256 MiB target. Prints a table, or JSON with --json.
// Usage: npm run bench:scanner -- [--rounds 5] [--bomb-gib 1] [--registry https://registry.npmjs.org] [--json]
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ProgressBar } from '@toolport/observability';
import { writeCompressionBomb } from './bomb';
import { cachedTarball, DEFAULT_PACKAGES, type Tarball } from './tarballs';

const HELP = `bench/scanner: scanner throughput and peak memory.

  --rounds <n>        times each tarball is scanned by the worker (default 5)
  --bomb-gib <n>      inflated size of the compression bomb in GiB (default 1)
  --registry <url>    npm registry to download the tarballs from (default https://registry.npmjs.org)
  --packages <a,b>    npm packages to scan (default: ${DEFAULT_PACKAGES.join(', ')})
  --json              print the figures as JSON
  --help              this text

Tarballs are cached in $TMPDIR/toolport-bench-scanner between runs.`;

const ROOT = path.resolve(__dirname, '../../..');
const EVAL_CLI = path.join(ROOT, 'apps/scanner/dist/eval/eval.cli.js');
const RSS_TARGET_BYTES = 256 * 1024 * 1024;
const MIB = 1024 * 1024;

interface Options {
  rounds: number;
  bombGib: number;
  registry: string;
  packages: string[];
  json: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { rounds: 5, bombGib: 1, registry: 'https://registry.npmjs.org', packages: DEFAULT_PACKAGES, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = () => {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${arg} needs a value`);
      return value;
    };
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${HELP}\n`);
      process.exit(0);
    } else if (arg === '--json') options.json = true;
    else if (arg === '--rounds') options.rounds = Math.max(1, Number(next()));
    else if (arg === '--bomb-gib') options.bombGib = Math.max(0.1, Number(next()));
    else if (arg === '--registry') options.registry = next().replace(/\/+$/, '');
    else if (arg === '--packages') options.packages = next().split(',').filter(Boolean);
    else throw new Error(`unknown argument ${arg} (see --help)`);
  }
  return options;
}

interface EvalReport {
  items: { id: string; flagged: boolean; worstSeverity: string | null; trustLevel: string; findings: { ruleId: string; severity: string; location: string }[] }[];
  summary: { run: { durationMs: number; peakRssBytes: number } };
}

/** Runs the scanner:eval worker over an archives.jsonl corpus and returns its JSON report. */
async function runWorker(dir: string, archives: { id: string; file: string }[]): Promise<EvalReport> {
  const lines = archives.map((a) => JSON.stringify({ id: a.id, path: a.file, label: 'benign', should_flag: false }));
  await writeFile(path.join(dir, 'archives.jsonl'), `${lines.join('\n')}\n`);
  const { stdout } = await promisify(execFile)(process.execPath, [EVAL_CLI, dir, '--json'], { maxBuffer: 256 * MIB });
  return JSON.parse(stdout) as EvalReport;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const cacheDir = path.join(tmpdir(), 'toolport-bench-scanner');
  const download = new ProgressBar('downloading tarballs', options.packages.length);
  const tarballs: Tarball[] = [];
  for (const name of options.packages) {
    tarballs.push(await cachedTarball(options.registry, name, cacheDir));
    download.tick();
  }
  download.finish();

  const work = await mkdtemp(path.join(tmpdir(), 'toolport-bench-scanner-run-'));
  try {
    process.stderr.write(`scanning ${tarballs.length} tarballs x ${options.rounds} rounds in one worker...\n`);
    const archives = Array.from({ length: options.rounds }, (_, round) => tarballs.map((t) => ({ id: `${t.name}@${t.version}#${round}`, file: t.file }))).flat();
    const scans = await runWorker(work, archives);
    const scansPerMinute = (scans.items.length / scans.summary.run.durationMs) * 60_000;

    process.stderr.write(`writing a ${options.bombGib} GiB compression bomb and rejecting it in a fresh worker...\n`);
    const bombFile = path.join(work, 'bomb.tgz');
    await writeCompressionBomb(bombFile, Math.round(options.bombGib * 1024 * MIB));
    const bomb = await runWorker(work, [{ id: 'bomb', file: bombFile }]);
    const bombVerdict = bomb.items[0]!;

    const perPackage = tarballs.map((t) => {
      const verdict = scans.items.find((i) => i.id === `${t.name}@${t.version}#0`)!;
      const bySeverity = (s: string) => verdict.findings.filter((f) => f.severity === s).length;
      return { package: `${t.name}@${t.version}`, tarballKiB: Math.round(t.bytes / 1024), trustLevel: verdict.trustLevel, worst: verdict.worstSeverity ?? 'none', critical: bySeverity('critical'), high: bySeverity('high'), medium: bySeverity('medium'), low: bySeverity('low') };
    });
    const figures = {
      scans: scans.items.length,
      scanSeconds: scans.summary.run.durationMs / 1000,
      scansPerMinute: Math.round(scansPerMinute),
      workerPeakRssMiB: Math.round(scans.summary.run.peakRssBytes / MIB),
      bombInflatedGiB: options.bombGib,
      bombRejected: bombVerdict.trustLevel === 'rejected',
      bombFindings: bombVerdict.findings.map((f) => `${f.ruleId}/${f.severity}`),
      bombPeakRssMiB: Math.round(bomb.summary.run.peakRssBytes / MIB),
      bombPeakRssWithinTarget: bomb.summary.run.peakRssBytes <= RSS_TARGET_BYTES,
      perPackage,
    };
    if (options.json) {
      process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
      return;
    }
    const rows: [string, string][] = [
      ['scans (tarballs x rounds)', String(figures.scans)],
      ['scan time (s)', figures.scanSeconds.toFixed(1)],
      ['scans per minute (1 worker)', String(figures.scansPerMinute)],
      ['worker peak RSS (MiB)', String(figures.workerPeakRssMiB)],
      [`bomb (${figures.bombInflatedGiB} GiB inflated) rejected`, `${figures.bombRejected} (${figures.bombFindings.join(', ')})`],
      ['bomb worker peak RSS (MiB, target <= 256)', `${figures.bombPeakRssMiB} (${figures.bombPeakRssWithinTarget ? 'hit' : 'MISS'})`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    process.stdout.write(`\n| ${'metric'.padEnd(width)} | value |\n| ${'-'.repeat(width)} | ----- |\n`);
    for (const [k, v] of rows) process.stdout.write(`| ${k.padEnd(width)} | ${v} |\n`);
    process.stdout.write('\n| package | tarball KiB | trust level | worst | critical | high | medium | low |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n');
    for (const p of perPackage) process.stdout.write(`| ${p.package} | ${p.tarballKiB} | ${p.trustLevel} | ${p.worst} | ${p.critical} | ${p.high} | ${p.medium} | ${p.low} |\n`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/scanner: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
