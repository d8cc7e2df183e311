// Benchmark of the audit log (issue 7): how fast a backlog of events becomes audit records, how long
// inclusion and consistency proofs take over the HTTP API, how long a full verification and a
// restart (tree rebuilt from the stored leaves) take, at 100,000 records by default.
// Usage: npm run bench:audit -- [--records 100000] [--sources 3] [--proofs 1000] [--head-every 100] [--json]
import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { auditService } from '@toolport/audit';
import { ALL_EVENTS, type CommandContext, EventRegistry, type ServiceName, streamName } from '@toolport/contracts';
import { createPool, ensureDatabase, eventStoreMigrations, type NewEvent, PostgresEventStore, runMigrations } from '@toolport/event-store';
import { EventRelay, loadMessagingDefinitions, messagingMigrations, provisionJetStream } from '@toolport/messaging';
import { createLogger, ProgressBar } from '@toolport/observability';
import { buildService } from '@toolport/platform';
import { destroyInstance, percentile } from '@toolport/testing';

const HELP = `bench/audit: append a backlog of events to the publisher, scanner and health event stores,
let the relays put them on JetStream, then start the audit service and measure how fast it turns
the backlog into audit records; then inclusion and consistency proof latency over the HTTP API,
a full verification, and a restart (the tree rebuilt from the stored leaf hashes).

  --records N     events to ingest (default 100000)
  --sources S     source streams the events are spread over, 1 to 3 (default 3: publisher, scanner, health)
  --proofs P      inclusion and consistency proofs to time (default 1000 each)
  --head-every H  TOOLPORT_AUDIT_STH_EVERY_RECORDS (default 100, the service's default)
  --json          print the figures as JSON instead of a table
  --help          this text

Environment: DATABASE_URL, NATS_URL, REDIS_URL (local defaults). Uses its own TOOLPORT_INSTANCE and removes it.`;

interface Options {
  records: number;
  sources: number;
  proofs: number;
  headEvery: number;
  json: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { records: 100_000, sources: 3, proofs: 1000, headEvery: 100, json: false };
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
    else if (arg === '--records') options.records = number(2);
    else if (arg === '--sources') options.sources = number(1, 3);
    else if (arg === '--proofs') options.proofs = number(1);
    else if (arg === '--head-every') options.headEvery = number(1);
    else throw new Error(`unknown argument ${arg} (see --help)`);
  }
  return options;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const SOURCES: Array<Exclude<ServiceName, 'audit' | 'catalog'>> = ['publisher', 'scanner', 'health'];
const BATCH = 1000;

/** Event i of a source, shaped as that service appends it (a few hundred bytes each). */
function eventFor(source: (typeof SOURCES)[number], i: number): NewEvent {
  const serverName = `io.example/bench-${i % 1000}`;
  const version = `1.${Math.floor(i / 1000)}.${i % 1000}`;
  const now = new Date().toISOString();
  if (source === 'scanner') return { type: 'ScanRequested', data: { serverName, version, rulesVersion: '2025.1', reason: 'published', requestedAt: now } };
  if (source === 'health') {
    return { type: 'HealthStatusChanged', data: { serverName, version, remoteUrl: 'https://mcp.example.com/mcp', previousStatus: 'healthy', status: 'down', reason: 'timeout', latencyMs: null, checkedAt: now } };
  }
  const schemaId = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';
  return {
    type: 'VersionPublished',
    data: {
      serverName,
      version,
      server: { $schema: schemaId, name: serverName, version, description: 'A benchmark server that does nothing in particular, described at some length.' },
      schemaId,
      tools: [],
      compatibility: { baseVersion: null, bump: 'none', changes: [], breaking: false, policy: 'off' },
      publishedAt: now,
      isLatest: true,
    },
  };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/toolport';
  const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
  const instance = `bench_${randomBytes(4).toString('hex')}`;
  const adminKey = randomBytes(24).toString('hex');
  const registry = new EventRegistry(ALL_EVENTS);
  const sources = SOURCES.slice(0, options.sources);

  await ensureDatabase(databaseUrl);
  const pool = createPool(databaseUrl, { max: 8, applicationName: 'toolport-bench-audit' });
  const nc = await connect({ servers: natsUrl, name: 'toolport-bench-audit' });
  const definitions = await loadMessagingDefinitions();
  await provisionJetStream(await jetstreamManager(nc), instance, { streams: definitions.streams, consumers: [] });
  let app: NestFastifyApplication | undefined;
  const relays: EventRelay[] = [];
  try {
    // 1. The backlog: events in the owning services' stores, published by their relays.
    const context = (): CommandContext => ({ actor: { kind: 'service', id: 'bench' }, correlationId: 'bench-audit', now: new Date() });
    const share = (s: number) => Math.floor(options.records / sources.length) + (s < options.records % sources.length ? 1 : 0);
    const appendBar = new ProgressBar('appending', options.records);
    const appendStarted = performance.now();
    for (const [s, source] of sources.entries()) {
      const schema = `${instance}_${source}`;
      await runMigrations(pool, schema, [...eventStoreMigrations, ...messagingMigrations]);
      const store = new PostgresEventStore({ pool, schema, registry });
      for (let start = 0; start < share(s); start += BATCH) {
        const events = Array.from({ length: Math.min(BATCH, share(s) - start) }, (_, k) => eventFor(source, start + k));
        await store.append(`${source}-bench-${start}`, events, { expectedVersion: 'no_stream', context: context() });
        appendBar.tick(events.length);
      }
      // Warnings only, so that stdout holds nothing but the table (or the JSON).
      const relay = new EventRelay({ pool, schema, store, js: jetstream(nc), instance, registry, batchSize: 1000, logger: createLogger({ service: 'bench-audit', level: 'warn' }) });
      relay.start();
      relays.push(relay);
    }
    appendBar.finish();
    const appendSeconds = (performance.now() - appendStarted) / 1000;
    const jsm = await jetstreamManager(nc);
    const onStreams = async () => {
      let total = 0;
      for (const source of sources) total += (await jsm.streams.info(streamName(instance, source))).state.messages;
      return total;
    };
    while ((await onStreams()) < options.records) await new Promise((r) => setTimeout(r, 200));

    // 2. Ingest: the audit service starts on the backlog; records per second until all are in.
    const config = auditService.loadConfig({
      ...process.env,
      TOOLPORT_INSTANCE: instance,
      TOOLPORT_ADMIN_KEY: adminKey,
      LOG_LEVEL: 'warn',
      TOOLPORT_AUDIT_STH_EVERY_RECORDS: String(options.headEvery),
      TOOLPORT_AUDIT_STH_INTERVAL_SECONDS: '1',
    });
    const auditSchema = `${instance}_audit`;
    const records = async () => Number((await pool.query<{ n: string }>(`SELECT coalesce(max(seq), 0) AS n FROM ${auditSchema}.audit_records`)).rows[0]!.n);
    const ingestBar = new ProgressBar('ingesting', options.records);
    const ingestStarted = performance.now();
    app = (await buildService(auditService, config)).app;
    for (let done = await records(); done < options.records; done = await records()) {
      ingestBar.update(done);
      await new Promise((r) => setTimeout(r, 500));
    }
    ingestBar.finish();
    const ingestSeconds = (performance.now() - ingestStarted) / 1000;
    const headers = { authorization: `Bearer ${adminKey}` };
    const get = async <T>(url: string): Promise<T> => {
      const response = await app!.inject({ method: 'GET', url, headers });
      if (response.statusCode !== 200) throw new Error(`GET ${url}: ${response.statusCode} ${response.body}`);
      return response.json<T>();
    };
    let head = await get<{ treeSize: number }>('/api/v1/audit/heads/latest');
    while (head.treeSize < options.records) {
      await new Promise((r) => setTimeout(r, 200));
      head = await get<{ treeSize: number }>('/api/v1/audit/heads/latest');
    }
    const size = head.treeSize;

    // 3. Proofs over HTTP (app.inject: routing, auth, JSON included; no network).
    const time = async (call: () => Promise<unknown>) => {
      const started = performance.now();
      await call();
      return performance.now() - started;
    };
    const random = (max: number) => 1 + Math.floor(Math.random() * max);
    const coldInclusion = await time(() => get(`/api/v1/audit/records/${random(size)}/proof`));
    const inclusion: number[] = [];
    const consistency: number[] = [];
    const proofBar = new ProgressBar('proofs', options.proofs * 2);
    for (let i = 0; i < options.proofs; i++) {
      inclusion.push(await time(() => get(`/api/v1/audit/records/${random(size)}/proof?treeSize=${size}`)));
      proofBar.tick();
    }
    for (let i = 0; i < options.proofs; i++) {
      const first = random(size - 1);
      consistency.push(await time(() => get(`/api/v1/audit/consistency?first=${first}&second=${first + random(size - first)}`)));
      proofBar.tick();
    }
    proofBar.finish();
    inclusion.sort((a, b) => a - b);
    consistency.sort((a, b) => a - b);

    // 4. Full verification, then a restart that rebuilds the tree from the stored leaves.
    let verification: { ok: boolean; treeSize: number; headsChecked: number } | undefined;
    const verifyMs = await time(async () => (verification = await get('/api/v1/audit/verify')));
    await app.close();
    app = undefined;
    const restartMs = await time(async () => (app = (await buildService(auditService, config)).app));

    const figures = {
      records: size,
      sources: sources.length,
      headEvery: options.headEvery,
      appendPerSecond: round(options.records / appendSeconds, 0),
      ingestPerSecond: round(options.records / ingestSeconds, 0),
      ingestSeconds: round(ingestSeconds),
      inclusionProofMs: { cold: round(coldInclusion), p50: round(percentile(inclusion, 50), 2), p99: round(percentile(inclusion, 99), 2) },
      consistencyProofMs: { p50: round(percentile(consistency, 50), 2), p99: round(percentile(consistency, 99), 2) },
      verify: { ok: verification!.ok, headsChecked: verification!.headsChecked, seconds: round(verifyMs / 1000, 2) },
      restartSeconds: round(restartMs / 1000, 2),
    };
    if (options.json) {
      process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
      return;
    }
    const rows: Array<[string, string]> = [
      ['records', `${figures.records} over ${figures.sources} source stream(s), a head every ${figures.headEvery}`],
      ['append to the source event stores', `${figures.appendPerSecond} events/s`],
      ['ingest (backlog -> audit records)', `${figures.ingestPerSecond} events/s (${figures.ingestSeconds} s)`],
      ['inclusion proof, first (tree loaded)', `${figures.inclusionProofMs.cold} ms`],
      ['inclusion proof p50 / p99', `${figures.inclusionProofMs.p50} / ${figures.inclusionProofMs.p99} ms`],
      ['consistency proof p50 / p99', `${figures.consistencyProofMs.p50} / ${figures.consistencyProofMs.p99} ms`],
      ['full verify', `${figures.verify.seconds} s (ok: ${figures.verify.ok}, ${figures.verify.headsChecked} heads)`],
      ['restart (tree rebuilt from stored leaves)', `${figures.restartSeconds} s`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    process.stdout.write(`\n| ${'metric'.padEnd(width)} | value |\n| ${'-'.repeat(width)} | ----- |\n`);
    for (const [k, v] of rows) process.stdout.write(`| ${k.padEnd(width)} | ${v} |\n`);
  } finally {
    await app?.close();
    for (const relay of relays) await relay.stop();
    await nc.close();
    await pool.query(`DROP ROLE IF EXISTS ${instance}_audit_writer`).catch(() => undefined);
    await pool.end();
    await destroyInstance(instance, { databaseUrl, natsUrl });
    const cleanup = createPool(databaseUrl, { max: 1 });
    await cleanup.query(`DROP ROLE IF EXISTS ${instance}_audit_writer`).finally(() => cleanup.end());
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/audit failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
