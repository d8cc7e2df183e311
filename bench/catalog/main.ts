// Benchmark of the catalog's read path (issue: catalog). For each corpus size it seeds servers
// (~10 tools each) as publisher events, lets a real catalog process project them, then loads it
// over HTTP with autocannon at 64 connections: search and tool search (1,000 distinct queries
// each: names, tool words, sentences, typos; no result cache exists in the catalog) and get-latest-by-name, next to a bare Node HTTP
// server answering a fixed JSON body (the ceiling) in the same run; search once as sent by default
// (no facets) and once with facets=all. Then publish-to-searchable
// latency over 200 publishes. Prints a table, with the load average of the machine during each
// load (the figures are only comparable with a ceiling measured under the same load).
// get-by-name is answered from the catalog's per-process response cache (official-api/
// version-response-cache.ts): the anonymous answers are read into memory as the projection applies
// each server (and at start), so the load meets them warm. Search has no such cache.
// Usage: npm run bench:catalog -- [--servers 10000,100000] [--duration 10] [--connections 64] [--publishes 200] [--json]
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import path from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import autocannon from 'autocannon';
import { ALL_EVENTS, EventRegistry } from '@toolport/contracts';
import { createPool, ensureDatabase, eventStoreMigrations, PostgresEventStore, runMigrations } from '@toolport/event-store';
import { EventRelay, messagingMigrations } from '@toolport/messaging';
import { ProgressBar } from '@toolport/observability';
import { destroyInstance, percentile } from '@toolport/testing';
import { publishedEvents, searchQueries, seedServers, serverName, toolQueries as toolSearchQueries } from './seed';

interface Options {
  sizes: number[];
  duration: number;
  connections: number;
  publishes: number;
  tools: number;
  json: boolean;
}

const HELP = `bench/catalog: catalog throughput and latency against a bare HTTP ceiling.

  --servers LIST    corpus sizes (default 10000,100000)
  --tools N         tools per server (default 10)
  --duration S      seconds of load per endpoint (default 10)
  --connections N   concurrent connections (default 64)
  --publishes N     publishes for the publish-to-searchable latency (default 200)
  --json            print the figures as JSON
  --help            this text

Environment: DATABASE_URL, NATS_URL, REDIS_URL. Uses its own TOOLPORT_INSTANCE per size and removes it.`;

function parseArgs(argv: string[]): Options {
  const options: Options = { sizes: [10_000, 100_000], duration: 10, connections: 64, publishes: 200, tools: 10, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${HELP}\n`);
      process.exit(0);
    } else if (arg === '--json') options.json = true;
    else if (arg === '--servers') options.sizes = String(argv[++i]).split(',').map(Number).filter((n) => n > 0);
    else if (arg === '--tools') options.tools = Number(argv[++i]);
    else if (arg === '--duration') options.duration = Number(argv[++i]);
    else if (arg === '--connections') options.connections = Number(argv[++i]);
    else if (arg === '--publishes') options.publishes = Number(argv[++i]);
    else throw new Error(`unknown argument ${arg} (see --help)`);
  }
  return options;
}

const ROOT = path.resolve(__dirname, '../../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startProcess(script: string, env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, [script], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return child;
}

const CEILING_SERVER = path.join(__dirname, 'ceiling-server.js');

async function waitHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await sleep(200);
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

interface LoadFigures {
  endpoint: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  /** The machine's 1-minute load average at the end of the load. */
  load: number;
}

async function load(name: string, base: string, paths: () => string, options: Options): Promise<LoadFigures> {
  const result = await autocannon({
    url: base,
    connections: options.connections,
    duration: options.duration,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: paths() }) }],
  });
  return {
    endpoint: name,
    reqPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx + result.timeouts,
    load: Number(loadavg()[0]!.toFixed(1)),
  };
}

/** VACUUM (ANALYZE) of every table of this run's schemas (VACUUM runs outside a transaction, one table at a time). */
async function vacuumInstance(pool: ReturnType<typeof createPool>, instance: string): Promise<void> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables WHERE schemaname IN ($1, $2)`,
    [`${instance}_catalog`, `${instance}_publisher`],
  );
  for (const { name } of rows) await pool.query(`VACUUM (ANALYZE) ${name}`);
}

/** The catalog process's resident memory, heap in use and time spent in major GC, from its /metrics. */
async function processFigures(base: string): Promise<{ rssMb: number; heapUsedMb: number; majorGcSeconds: number }> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const value = (pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? Number.NaN);
  return {
    rssMb: Math.round(value(/^process_resident_memory_bytes (\S+)$/m) / 2 ** 20),
    heapUsedMb: Math.round(value(/^nodejs_heap_size_used_bytes (\S+)$/m) / 2 ** 20),
    majorGcSeconds: Number(value(/^nodejs_gc_duration_seconds_sum\{kind="major"\} (\S+)$/m).toFixed(2)),
  };
}

async function runSize(servers: number, options: Options) {
  const instance = `bench_${randomBytes(4).toString('hex')}`;
  const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/toolport';
  const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
  const catalogPort = 18_200 + Math.floor(Math.random() * 500);
  const ceilingPort = catalogPort + 1;
  await ensureDatabase(databaseUrl);
  const pool = createPool(databaseUrl, { max: 20, applicationName: 'toolport-bench-catalog' });
  const publisherSchema = `${instance}_publisher`;
  await runMigrations(pool, publisherSchema, [...eventStoreMigrations, ...messagingMigrations]);
  const registry = new EventRegistry(ALL_EVENTS);
  const store = new PostgresEventStore({ pool, schema: publisherSchema, registry });
  const nc = await connect({ servers: natsUrl, name: 'toolport-bench-catalog' });

  const catalog = startProcess('apps/catalog/dist/main.js', {
    TOOLPORT_INSTANCE: instance,
    PORT: String(catalogPort),
    LOG_LEVEL: 'error',
    TOOLPORT_CATALOG_VISIBILITY: 'all',
    TOOLPORT_DB_POOL_MAX: '16',
    OTEL_METRICS_EXPORTER: 'none',
  });
  const ceiling = startProcess(CEILING_SERVER, { PORT: String(ceilingPort) });
  try {
    await waitHttp(`http://127.0.0.1:${catalogPort}/readyz`);
    await waitHttp(`http://127.0.0.1:${ceilingPort}/`);
    // The catalog provisioned the streams; now relay the publisher schema's events into them.
    const relay = new EventRelay({ pool, schema: publisherSchema, store, js: jetstream(nc), instance, registry, batchSize: 512 });
    relay.start();

    const seeding = new ProgressBar(`seeding ${servers} servers`, servers);
    const seedStarted = performance.now();
    await seedServers(store, 0, servers, options.tools, 16, (n) => seeding.tick(n));
    seeding.finish();
    const applied = new ProgressBar('catalog applying', servers);
    for (;;) {
      const { rows } = await pool.query<{ count: string }>(`select count(*) from ${instance}_catalog.versions`);
      applied.update(Number(rows[0]!.count));
      if (Number(rows[0]!.count) >= servers) break;
      await sleep(500);
    }
    applied.finish();
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    // Steady state, not the aftermath of a bulk load: without this, PostgreSQL's autovacuum of a
    // million fresh tool rows competed for the two cores during the loads (load average 3-4 at
    // 100k against ~2 at 10k, the bare ceiling itself 15-20% lower). The catalog compacts its
    // search index once writes pause for a second (embedded-search-index.ts): wait for that too.
    await vacuumInstance(pool, instance);
    await sleep(3000);
    process.stderr.write(`seeded and projected ${servers} servers in ${Math.round(seedSeconds)} s (${Math.round((2 * servers) / seedSeconds)} events/s), load average ${loadavg()[0]!.toFixed(1)}\n`);

    const base = `http://127.0.0.1:${catalogPort}`;
    const queries = searchQueries(1000, servers);
    let q = 0;
    const toolQueries = toolSearchQueries(1000);
    let t = 0;
    let g = 0;
    const beforeLoad = await processFigures(base);
    const figures: LoadFigures[] = [];
    figures.push(await load('ceiling (bare node http)', `http://127.0.0.1:${ceilingPort}`, () => '/', options));
    figures.push(await load('GET /api/v1/search', base, () => `/api/v1/search?q=${encodeURIComponent(queries[q++ % queries.length]!)}&limit=20`, options));
    // The same queries with every facet counted (facets are on request; this is the cost of asking).
    figures.push(await load('GET /api/v1/search&facets=all', base, () => `/api/v1/search?q=${encodeURIComponent(queries[q++ % queries.length]!)}&limit=20&facets=all`, options));
    figures.push(await load('GET /api/v1/tools/search', base, () => `/api/v1/tools/search?q=${encodeURIComponent(toolQueries[t++ % toolQueries.length]!)}&limit=20`, options));
    figures.push(await load('GET /v0.1/servers/{name}/versions/latest', base, () => `/v0.1/servers/${encodeURIComponent(serverName((g++ * 7919) % servers))}/versions/latest`, options));
    const afterLoad = await processFigures(base);

    // Publish to searchable: append a publish as the publisher would, then poll search until it shows.
    const latencies: number[] = [];
    const probes = new ProgressBar('publish to searchable', options.publishes);
    for (let k = 0; k < options.publishes; k++) {
      const i = servers + k;
      const marker = `probe${k}x${randomBytes(2).toString('hex')}`;
      const events = publishedEvents(i, options.tools, new Date());
      const data = events[0]!.data as { server: { title: string } };
      data.server.title = marker;
      const started = performance.now();
      await store.append(`server-${serverName(i)}`, events, { expectedVersion: 'no_stream', context: { actor: { kind: 'service', id: 'bench' }, correlationId: 'bench', now: new Date() } });
      for (;;) {
        const response = await fetch(`${base}/api/v1/search?q=${marker}&limit=1`);
        const body = (await response.json()) as { items: unknown[] };
        if (body.items.length > 0) break;
        await sleep(2);
      }
      latencies.push(performance.now() - started);
      probes.tick();
    }
    probes.finish();
    latencies.sort((a, b) => a - b);
    await relay.stop();
    const ceilingRps = figures[0]!.reqPerSec;
    return {
      servers,
      tools: servers * options.tools,
      seedAndProjectSeconds: Math.round(seedSeconds),
      endpoints: figures.map((f) => ({ ...f, ofCeiling: Number((f.reqPerSec / ceilingRps).toFixed(2)) })),
      catalogProcess: { ...afterLoad, majorGcSecondsDuringLoad: Number((afterLoad.majorGcSeconds - beforeLoad.majorGcSeconds).toFixed(2)) },
      publishToSearchableMs: { p50: Number(percentile(latencies, 50).toFixed(1)), p99: Number(percentile(latencies, 99).toFixed(1)) },
    };
  } finally {
    catalog.kill('SIGTERM');
    ceiling.kill('SIGTERM');
    await sleep(1500);
    await nc.close();
    await pool.end();
    await destroyInstance(instance, { databaseUrl, natsUrl, redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379' });
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const results = [];
  for (const size of options.sizes) results.push(await runSize(size, options));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return;
  }
  for (const r of results) {
    process.stdout.write(`\n${r.servers} servers, ${r.tools} tools (seeded and projected in ${r.seedAndProjectSeconds} s), ${options.connections} connections, ${options.duration} s each\n\n`);
    process.stdout.write('| endpoint | req/s | p50 ms | p99 ms | errors | of ceiling | load avg |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n');
    for (const e of r.endpoints) process.stdout.write(`| ${e.endpoint} | ${e.reqPerSec} | ${e.p50} | ${e.p99} | ${e.errors} | ${e.ofCeiling} | ${e.load} |\n`);
    process.stdout.write('\nget-by-name is served from the catalog\'s in-memory answers (refilled by the projection as it applies each server); search and tool search have no result cache.\n');
    const p = r.catalogProcess;
    process.stdout.write(`\ncatalog process after the loads: RSS ${p.rssMb} MB, heap used ${p.heapUsedMb} MB, major GC ${p.majorGcSecondsDuringLoad} s during the loads\n`);
    process.stdout.write(`\npublish → searchable over ${options.publishes} publishes: p50 ${r.publishToSearchableMs.p50} ms, p99 ${r.publishToSearchableMs.p99} ms\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/catalog failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
