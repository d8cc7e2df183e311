// bench/health: N remote endpoints on local SDK server processes (several endpoints per process),
// published as VersionPublished events, probed by one health service every interval. Prints
// probes per second, scheduling lag (probe start minus its scheduled slot), probe latency, the
// share of endpoints probed in each interval window, CPU and peak RSS of this process (health,
// relay) and of the server processes. Run: npm run bench:health -- --targets 2000
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ALL_EVENTS, type CommandContext, EventRegistry } from '@toolport/contracts';
import { createPool, ensureDatabase, eventStoreMigrations, type NewEvent, PostgresEventStore, runMigrations } from '@toolport/event-store';
import { healthService } from '@toolport/health';
import { EventRelay, messagingMigrations } from '@toolport/messaging';
import { createLogger } from '@toolport/observability';
import { buildService } from '@toolport/platform';
import { destroyInstance, percentile } from '@toolport/testing';

const HELP = `bench/health: probe N local MCP endpoints every interval with one health service.

  --targets N        endpoints (remotes) to probe (default 2000)
  --per-process E    endpoints served by one SDK server process (default 100)
  --interval MS      TOOLPORT_HEALTH_INTERVAL_MS (default 60000)
  --cycles C         intervals measured after the warm-up cycle (default 2)
  --concurrency K    TOOLPORT_HEALTH_CONCURRENCY (default 64)
  --json             print the figures as JSON instead of a table
  --help             this text

Environment: DATABASE_URL, NATS_URL, REDIS_URL (local defaults). Uses its own TOOLPORT_INSTANCE and removes it.`;

interface Options {
  targets: number;
  perProcess: number;
  interval: number;
  cycles: number;
  concurrency: number;
  json: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { targets: 2000, perProcess: 100, interval: 60_000, cycles: 2, concurrency: 64, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const number = (min: number, max = Number.MAX_SAFE_INTEGER) => {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${arg} needs an integer from ${min} to ${max}`);
      return value;
    };
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${HELP}\n`);
      process.exit(0);
    } else if (arg === '--json') options.json = true;
    else if (arg === '--targets') options.targets = number(1);
    else if (arg === '--per-process') options.perProcess = number(1);
    else if (arg === '--interval') options.interval = number(1000);
    else if (arg === '--cycles') options.cycles = number(1);
    else if (arg === '--concurrency') options.concurrency = number(1, 1000);
    else throw new Error(`unknown argument ${arg} (see --help)`);
  }
  return options;
}

const REMOTES_PER_VERSION = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number, digits = 1) => Number(n.toFixed(digits));

/** Starts one SDK server process serving /e0../e<n-1>; resolves with its port. */
function startHost(endpoints: number): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [path.join(__dirname, 'mcp-host.js'), String(endpoints)], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.stdout!.once('data', (chunk: Buffer) => resolve({ child, port: Number(chunk.toString().trim()) }));
  });
}

/** User+system CPU seconds of a process so far (Linux /proc), 0 when unreadable. */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function versionPublished(i: number, urls: string[]): NewEvent {
  const serverName = `io.example.bench/health-${i}`;
  const schemaId = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';
  return {
    type: 'VersionPublished',
    data: {
      serverName,
      version: '1.0.0',
      server: { $schema: schemaId, name: serverName, version: '1.0.0', description: 'A benchmark server', remotes: urls.map((url) => ({ type: 'streamable-http', url })) },
      schemaId,
      tools: [],
      compatibility: { baseVersion: null, bump: 'none', changes: [], breaking: false, policy: 'off' },
      publishedAt: new Date().toISOString(),
      isLatest: true,
    },
  };
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/toolport';
  const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
  const instance = `bench_${randomBytes(4).toString('hex')}`;
  const registry = new EventRegistry(ALL_EVENTS);
  const log = (line: string) => process.stderr.write(`${line}\n`);

  await ensureDatabase(databaseUrl);
  const pool = createPool(databaseUrl, { max: 4, applicationName: 'toolport-bench-health' });
  const nc = await connect({ servers: natsUrl, name: 'toolport-bench-health' });
  const hosts: Array<{ child: ChildProcess; port: number }> = [];
  let app: NestFastifyApplication | undefined;
  let relay: EventRelay | undefined;
  try {
    // 1. The endpoints: SDK server processes, several endpoints each.
    const processes = Math.ceil(o.targets / o.perProcess);
    for (let p = 0; p < processes; p++) hosts.push(await startHost(Math.min(o.perProcess, o.targets - p * o.perProcess)));
    const urls = hosts.flatMap((h, p) => Array.from({ length: Math.min(o.perProcess, o.targets - p * o.perProcess) }, (_, e) => `http://127.0.0.1:${h.port}/e${e}`));
    log(`${urls.length} endpoints on ${hosts.length} server processes`);

    // 2. The health service (it provisions the streams), then the versions as the publisher appends them.
    const env = {
      ...process.env,
      TOOLPORT_INSTANCE: instance,
      LOG_LEVEL: 'warn',
      TOOLPORT_HEALTH_INTERVAL_MS: String(o.interval),
      TOOLPORT_HEALTH_CONCURRENCY: String(o.concurrency),
      TOOLPORT_HEALTH_ALLOW_CIDRS: '127.0.0.0/8',
      TOOLPORT_DB_POOL_MAX: String(Math.max(10, Math.min(50, o.concurrency + 4))),
    };
    app = (await buildService(healthService, healthService.loadConfig(env))).app;
    const schema = `${instance}_publisher`;
    await runMigrations(pool, schema, [...eventStoreMigrations, ...messagingMigrations]);
    const store = new PostgresEventStore({ pool, schema, registry });
    const context = (): CommandContext => ({ actor: { kind: 'service', id: 'bench' }, correlationId: 'bench-health', now: new Date() });
    for (let i = 0; i * REMOTES_PER_VERSION < urls.length; i++) {
      await store.append(`server-bench-${i}`, [versionPublished(i, urls.slice(i * REMOTES_PER_VERSION, (i + 1) * REMOTES_PER_VERSION))], { expectedVersion: 'no_stream', context: context() });
    }
    relay = new EventRelay({ pool, schema, store, js: jetstream(nc), instance, registry, batchSize: 500, logger: createLogger({ service: 'bench-health', level: 'warn' }) });
    relay.start();
    const healthSchema = `${instance}_health`;
    const count = async (sql: string, values: unknown[] = []) => Number((await pool.query<{ n: string }>(sql, values)).rows[0]!.n);
    while ((await count(`SELECT count(*) AS n FROM ${healthSchema}.targets`)) < urls.length) await sleep(500);
    log('targets projected; warm-up cycle');

    // 3. Warm-up: every endpoint probed once. Then C intervals measured.
    while ((await count(`SELECT count(DISTINCT target_id) AS n FROM ${healthSchema}.probes`)) < urls.length) await sleep(1000);
    const cpuStart = process.cpuUsage();
    const hostCpuStart = hosts.map((h) => cpuSecondsOf(h.child.pid!));
    const t0 = new Date();
    log(`measuring ${o.cycles} interval(s) of ${o.interval} ms`);
    await sleep(o.cycles * o.interval);
    const t1 = new Date();
    const cpu = process.cpuUsage(cpuStart);
    const hostCpu = hosts.reduce((sum, h, i) => sum + cpuSecondsOf(h.child.pid!) - hostCpuStart[i]!, 0);
    const seconds = (t1.getTime() - t0.getTime()) / 1000;
    // Probes of slots inside the window may still be running (or waiting): let them land, up to one more interval.
    const inWindow = () => count(`SELECT count(*) AS n FROM ${healthSchema}.probes WHERE slot_at >= $1 AND slot_at < $2`, [t0, t1]);
    const drainUntil = Date.now() + o.interval;
    for (let last = -1, now = await inWindow(); now !== last && Date.now() < drainUntil; last = now, now = await inWindow()) await sleep(2000);

    const { rows } = await pool.query<{ lag_ms: number; total_ms: number; outcome: string; target_id: string; slot_at: Date }>(
      `SELECT extract(epoch FROM started_at - slot_at) * 1000 AS lag_ms, total_ms, outcome, target_id, slot_at FROM ${healthSchema}.probes WHERE slot_at >= $1 AND slot_at < $2`,
      [t0, t1],
    );
    const lags = rows.map((r) => Number(r.lag_ms)).sort((a, b) => a - b);
    const totals = rows.map((r) => r.total_ms).sort((a, b) => a - b);
    const perTarget = new Map<string, number>();
    for (const r of rows) perTarget.set(r.target_id, (perTarget.get(r.target_id) ?? 0) + 1);
    const expectedPerTarget = o.cycles;
    const fullyCovered = [...perTarget.values()].filter((n) => n >= expectedPerTarget).length;
    const twice = (await pool.query<{ n: string }>(`SELECT count(*) AS n FROM (SELECT target_id, slot_at FROM ${healthSchema}.probes GROUP BY 1, 2 HAVING count(*) > 1) d`)).rows[0]!.n;
    const figures = {
      targets: urls.length,
      serverProcesses: hosts.length,
      intervalMs: o.interval,
      concurrency: o.concurrency,
      measuredSeconds: round(seconds),
      probes: rows.length,
      probesPerSecond: round(rows.length / seconds),
      expectedProbesPerSecond: round(urls.length / (o.interval / 1000)),
      failedProbes: rows.filter((r) => r.outcome !== 'ok').length,
      targetsProbedEveryInterval: `${fullyCovered}/${urls.length}`,
      slotsProbedTwice: Number(twice),
      schedulingLagP50Ms: round(percentile(lags, 50)),
      schedulingLagP99Ms: round(percentile(lags, 99)),
      probeLatencyP50Ms: round(percentile(totals, 50)),
      probeLatencyP99Ms: round(percentile(totals, 99)),
      healthCpuCores: round((cpu.user + cpu.system) / 1e6 / seconds, 2),
      serverProcessesCpuCores: round(hostCpu / seconds, 2),
      healthPeakRssMb: round(process.resourceUsage().maxRSS / 1024),
      loadAverage1m: round(loadavg()[0]!, 2),
    };
    if (o.json) process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    else {
      const width = Math.max(...Object.keys(figures).map((k) => k.length));
      process.stdout.write(`| figure${' '.repeat(width - 6)} | value |\n|${'-'.repeat(width + 2)}|-------|\n`);
      for (const [key, value] of Object.entries(figures)) process.stdout.write(`| ${key.padEnd(width)} | ${String(value)} |\n`);
      process.stdout.write('(healthCpuCores and peak RSS are of this process: the health service and the relay; the server processes are counted apart)\n');
    }
  } finally {
    await relay?.stop();
    await app?.close();
    for (const h of hosts) h.child.stdin?.end();
    await pool.end();
    await nc.close();
    await destroyInstance(instance);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
