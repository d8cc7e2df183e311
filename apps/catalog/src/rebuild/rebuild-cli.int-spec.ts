import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { testEnv } from '@toolport/testing';
import { ANON, type CatalogTestEnv, serverJson, startCatalogTestEnv } from '../__fixtures__/catalog-test-env';
import type { RebuildReport } from './rebuild-read-model';
import { type ReadModelCounts, readModelCounts } from './read-model-counts';

// `npm run catalog:rebuild` as an operator runs it: the compiled CLI in a child process, against
// an instance with data, configured by the environment alone. It must exit 0 and print the
// figures of the rebuilt read model. The script builds first (`npm run build`); `npm test`
// builds before the integration tests (typecheck), so this runs the built CLI directly.
let env: CatalogTestEnv;
let cli: string;

const ROOT = path.resolve(__dirname, '../../../..');
const HASH = 'b'.repeat(64);
const ALPHA = `${ANON}/cli-alpha`;
const BETA = `${ANON}/cli-beta`;
const GAMMA = `${ANON}/cli-gamma`;
const tool = (name: string) => ({ name, description: `the ${name} tool`, inputSchema: { type: 'object', properties: {} } });

/** What the data below makes: every figure different from zero, most different from each other. */
const EXPECTED: ReadModelCounts = {
  servers: 3,
  versions: 5,
  tools: 3,
  active: 3,
  deprecated: 1,
  deleted: 1,
  scanned: 2,
  approved: 2,
  rejected: 1,
  revoked: 1,
  awaitingReview: 1,
  withHealth: 2,
  drifted: 1,
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cli, ...args],
      { cwd: ROOT, timeout: 60_000, env: { PATH: process.env['PATH'] ?? '', ...testEnv(env.instance) } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

async function tableCount(table: string): Promise<number> {
  const { rows } = await env.catalogPool.query<{ count: string }>(`SELECT count(*) FROM ${env.catalogSchema}.${table}`);
  return Number(rows[0]!.count);
}

const approve = (name: string, version: string) =>
  env.scanner.append(`review-${name}@${version}`, [
    { type: 'VersionApproved', data: { serverName: name, version, justification: 'ok', trustLevel: 'passed', tools: [], toolListHash: HASH, automatic: false, approvedAt: new Date().toISOString() } },
  ]);
const scan = (name: string, version: string) =>
  env.scanner.append(`scan-${name}@${version}`, [
    {
      type: 'ScanCompleted',
      data: { serverName: name, version, rulesVersion: 'r1', score: 70, trustLevel: 'passed', findings: [], tools: [], toolListHash: HASH, completedAt: new Date().toISOString() },
    },
  ]);
const health = (name: string, version: string, status: 'healthy' | 'degraded') =>
  env.health.append(`endpoint-${name}@${version}`, [
    {
      type: 'HealthStatusChanged',
      data: { serverName: name, version, remoteUrl: 'https://cli.example.com/mcp', previousStatus: null, status, reason: 'probe', latencyMs: 5, checkedAt: new Date().toISOString() },
    },
  ]);

beforeAll(async () => {
  // The command package.json runs, after its build step.
  const script = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['catalog:rebuild'] ?? '';
  const command = /^npm run build --silent && node (\S+)$/.exec(script);
  if (!command) throw new Error(`catalog:rebuild is no longer "npm run build --silent && node <file>": ${script}`);
  cli = path.join(ROOT, command[1]!);
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build first (npx tsc -b tsconfig.build.json)`);

  env = await startCatalogTestEnv('rebuildcli');
  await env.publish(serverJson(ALPHA, '1.0.0', { _meta: { 'io.toolport/tools': [tool('read'), tool('write')] } }));
  await env.publish(serverJson(ALPHA, '1.1.0', { remotes: [{ type: 'streamable-http', url: 'https://cli.example.com/mcp' }] }));
  await env.publish(serverJson(BETA, '1.0.0'));
  await env.publish(serverJson(GAMMA, '1.0.0'));
  await env.publish(serverJson(GAMMA, '2.0.0', { _meta: { 'io.toolport/tools': [tool('search')] } }));
  await env.setStatus(BETA, '1.0.0', 'deprecated', 'gone soon');
  await env.setStatus(GAMMA, '1.0.0', 'deleted');
  await scan(ALPHA, '1.0.0');
  await scan(BETA, '1.0.0');
  await approve(ALPHA, '1.0.0');
  await approve(GAMMA, '2.0.0');
  await approve(GAMMA, '1.0.0');
  await env.scanner.append(`review-${GAMMA}@1.0.0`, [{ type: 'ApprovalRevoked', data: { serverName: GAMMA, version: '1.0.0', justification: 'no', revokedAt: new Date().toISOString() } }]);
  await env.scanner.append(`review-${BETA}@1.0.0`, [{ type: 'VersionRejected', data: { serverName: BETA, version: '1.0.0', justification: 'no', rejectedAt: new Date().toISOString() } }]);
  await health(ALPHA, '1.1.0', 'degraded');
  await health(GAMMA, '2.0.0', 'healthy');
  await env.health.append(`endpoint-${ALPHA}@1.1.0`, [
    {
      type: 'ToolDriftDetected',
      data: { serverName: ALPHA, version: '1.1.0', remoteUrl: 'https://cli.example.com/mcp', approvedToolListHash: HASH, observedToolListHash: 'c'.repeat(64), added: ['x'], removed: [], changed: [], detectedAt: new Date().toISOString() },
    },
  ]);
  await env.caughtUp();
  expect(await readModelCounts(env.catalogPool, env.catalogSchema)).toEqual(EXPECTED);
}, 120_000);

afterAll(async () => {
  await env?.close();
});

it('rebuilds a damaged read model and prints (--json) the counts it then holds', async () => {
  // Damage the read model, so a CLI that rebuilt nothing (or counted before rebuilding) would print other figures.
  await env.catalogPool.query(`DELETE FROM ${env.catalogSchema}.versions WHERE server_name = $1`, [ALPHA]);
  await env.catalogPool.query(`UPDATE ${env.catalogSchema}.version_security SET approval = 'pending'`);
  expect(await readModelCounts(env.catalogPool, env.catalogSchema)).not.toEqual(EXPECTED);

  const run = await runCli(['--json']);
  expect([run.code, run.stderr]).toEqual([0, expect.any(String)]);
  const report = JSON.parse(run.stdout) as RebuildReport;
  expect(report.counts).toEqual(EXPECTED);
  expect(report.counts).toEqual(await readModelCounts(env.catalogPool, env.catalogSchema));
  expect({ servers: report.counts.servers, versions: report.counts.versions, tools: report.counts.tools }).toEqual({
    servers: await tableCount('servers'),
    versions: await tableCount('versions'),
    tools: await tableCount('tools'),
  });
  expect(Object.keys(report.messages).sort()).toEqual(['catalog-health-events', 'catalog-publisher-events', 'catalog-scanner-events']);
  expect(report.applied).toBeGreaterThan(0);
  expect(report.applied).toBeLessThanOrEqual(Object.values(report.messages).reduce((a, b) => a + b, 0));
}, 60_000);

it('prints the same figures as a table without --json', async () => {
  const run = await runCli([]);
  expect(run.code).toBe(0);
  const rows = new Map<string, number>();
  for (const line of run.stdout.split('\n')) {
    const cells = /^\| (.+?) +\| (\d+) \|$/.exec(line);
    if (cells) rows.set(cells[1]!, Number(cells[2]));
  }
  const printed = Object.fromEntries(Object.keys(EXPECTED).map((key) => [key, rows.get(key)]));
  expect(printed).toEqual(EXPECTED);
  expect(printed).toEqual(await readModelCounts(env.catalogPool, env.catalogSchema));
  expect(rows.get('events applied')).toBeGreaterThan(0);
}, 60_000);

it('refuses an unknown argument with exit code 2, before touching anything', async () => {
  const run = await runCli(['--jsn']);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain('unknown argument --jsn');
}, 60_000);
