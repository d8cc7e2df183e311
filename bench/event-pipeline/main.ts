// Benchmark of the event pipeline (issue: platform foundation): append throughput into the
// Postgres event store, and the latency from append to "applied by a JetStream projection"
// through the relay, measured saturated (all events as fast as possible) and paced.
// Usage: npm run bench:event-pipeline -- [--events 10000] [--writers 16] [--paced 1000] [--rate 200] [--json]
import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { ALL_EVENTS, type CommandContext, EventRegistry } from '@toolport/contracts';
import { createPool, ensureDatabase, eventStoreMigrations, PostgresEventStore, runMigrations } from '@toolport/event-store';
import { type ConsumerDefinition, ConsumerRunner, EventRelay, loadMessagingDefinitions, messagingMigrations, provisionJetStream } from '@toolport/messaging';
import { ProgressBar } from '@toolport/observability';
import { destroyInstance, percentile } from '@toolport/testing';

interface Options {
  events: number;
  writers: number;
  paced: number;
  rate: number;
  json: boolean;
}

const HELP = `bench/event-pipeline: append N events to the Postgres event store with W concurrent writers,
let the relay publish them to JetStream and a projection consumer apply them, and report
append throughput and append-to-applied latency (saturated, then paced).

  --events N    events in the saturated run (default 10000)
  --writers W   concurrent appending connections (default 16)
  --paced N     events in the paced run (default 1000; 0 skips it)
  --rate R      events per second in the paced run (default 200)
  --json        print the figures as JSON instead of a table
  --help        this text

Environment: DATABASE_URL, NATS_URL (local defaults). Uses its own TOOLPORT_INSTANCE and removes it.`;

function parseArgs(argv: string[]): Options {
  const options: Options = { events: 10_000, writers: 16, paced: 1000, rate: 200, json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const number = () => {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 0) throw new Error(`${arg} needs a non-negative integer`);
      return value;
    };
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${HELP}\n`);
      process.exit(0);
    } else if (arg === '--json') options.json = true;
    else if (arg === '--events') options.events = number();
    else if (arg === '--writers') options.writers = Math.max(1, number());
    else if (arg === '--paced') options.paced = number();
    else if (arg === '--rate') options.rate = Math.max(1, number());
    else throw new Error(`unknown argument ${arg} (see --help)`);
  }
  return options;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const databaseUrl = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/toolport';
  const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
  const instance = `bench_${randomBytes(4).toString('hex')}`;
  const schema = `${instance}_publisher`;
  const registry = new EventRegistry(ALL_EVENTS);

  await ensureDatabase(databaseUrl);
  const pool = createPool(databaseUrl, { max: options.writers + 4, applicationName: 'toolport-bench' });
  await runMigrations(pool, schema, [...eventStoreMigrations, ...messagingMigrations]);
  const store = new PostgresEventStore({ pool, schema, registry });
  const nc = await connect({ servers: natsUrl, name: 'toolport-bench' });
  const jsm = await jetstreamManager(nc);
  const consumer: ConsumerDefinition = {
    name: 'audit-bench-pipeline',
    stream: 'publisher',
    filterSubjects: ['publisher.token.>'],
    policy: 'halt',
    maxDeliver: 5,
    ackWaitSeconds: 30,
    backoffSeconds: [1],
  };
  const definitions = await loadMessagingDefinitions();
  await provisionJetStream(jsm, instance, { streams: definitions.streams.filter((s) => s.name === 'publisher'), consumers: [consumer] });

  // The projection records when each event was applied, keyed by its stream.
  const applied = new Map<string, number>();
  let onApplied: () => void = () => undefined;
  const runner = new ConsumerRunner({
    kind: 'projection',
    nc,
    instance,
    definition: consumer,
    pool,
    schema,
    handler: async (event) => {
      applied.set(event.metadata.streamId, performance.timeOrigin + performance.now());
      onApplied();
    },
  });
  const relay = new EventRelay({ pool, schema, store, js: jetstream(nc), instance, registry });
  runner.start();
  relay.start();

  const appendedAt = new Map<string, number>();
  const appendDurations: number[] = [];
  const context = (): CommandContext => ({ actor: { kind: 'service', id: 'bench' }, correlationId: 'bench', now: new Date() });
  const appendOne = async (streamId: string) => {
    const started = performance.now();
    await store.append(streamId, [{ type: 'TokenRevoked', data: { tokenId: streamId, expiresAt: '2030-01-01T00:00:00.000Z' } }], {
      expectedVersion: 'no_stream',
      context: context(),
    });
    const ended = performance.now();
    appendDurations.push(ended - started);
    appendedAt.set(streamId, performance.timeOrigin + ended);
  };
  const waitApplied = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (applied.size >= count) resolve();
      };
      onApplied = check;
      check();
    });
  const latencies = (ids: string[]) => ids.map((id) => applied.get(id)! - appendedAt.get(id)!).sort((a, b) => a - b);

  // Saturated run: W writers, each appending its share one event (one command) at a time.
  const saturatedIds = Array.from({ length: options.events }, (_, i) => `token-sat-${i}`);
  const bar = new ProgressBar('appending', options.events);
  let next = 0;
  const appendStarted = performance.now();
  await Promise.all(
    Array.from({ length: options.writers }, async () => {
      while (next < saturatedIds.length) {
        const id = saturatedIds[next++]!;
        await appendOne(id);
        bar.tick();
      }
    }),
  );
  const appendSeconds = (performance.now() - appendStarted) / 1000;
  bar.finish();
  await waitApplied(options.events);
  const drainSeconds = (performance.now() - appendStarted) / 1000;
  const saturated = latencies(saturatedIds);
  const appendSorted = [...appendDurations].sort((a, b) => a - b);

  // Paced run: a steady rate below capacity, the latency a single publish sees in practice.
  const pacedIds = Array.from({ length: options.paced }, (_, i) => `token-paced-${i}`);
  const pacedBar = new ProgressBar('paced', options.paced);
  const pacedStarted = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < pacedIds.length; i++) {
    const due = pacedStarted + (i * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(appendOne(pacedIds[i]!).then(() => pacedBar.tick()));
  }
  await Promise.all(pending);
  if (options.paced > 0) pacedBar.finish();
  await waitApplied(options.events + options.paced);
  const paced = latencies(pacedIds);

  await runner.stop();
  await relay.stop();
  await nc.close();
  await pool.end();
  await destroyInstance(instance, { databaseUrl, natsUrl });

  const figures = {
    events: options.events,
    writers: options.writers,
    appendThroughputPerSecond: round(options.events / appendSeconds, 0),
    appendCallMs: { p50: round(percentile(appendSorted, 50), 2), p99: round(percentile(appendSorted, 99), 2) },
    endToEndThroughputPerSecond: round(options.events / drainSeconds, 0),
    saturatedAppliedLatencyMs: { p50: round(percentile(saturated, 50)), p99: round(percentile(saturated, 99)), max: round(saturated.at(-1) ?? NaN) },
    paced: options.paced > 0 ? { events: options.paced, ratePerSecond: options.rate, appliedLatencyMs: { p50: round(percentile(paced, 50), 2), p99: round(percentile(paced, 99), 2), max: round(paced.at(-1) ?? NaN, 2) } } : null,
  };
  if (options.json) {
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    return;
  }
  const rows: Array<[string, string]> = [
    ['events (saturated run)', String(figures.events)],
    ['concurrent writers', String(figures.writers)],
    ['append throughput', `${figures.appendThroughputPerSecond} events/s`],
    ['append call p50 / p99', `${figures.appendCallMs.p50} / ${figures.appendCallMs.p99} ms`],
    ['append -> applied throughput', `${figures.endToEndThroughputPerSecond} events/s`],
    ['append -> applied p50 / p99 / max (saturated)', `${figures.saturatedAppliedLatencyMs.p50} / ${figures.saturatedAppliedLatencyMs.p99} / ${figures.saturatedAppliedLatencyMs.max} ms`],
  ];
  if (figures.paced) {
    rows.push([`append -> applied p50 / p99 / max (paced, ${figures.paced.ratePerSecond}/s)`, `${figures.paced.appliedLatencyMs.p50} / ${figures.paced.appliedLatencyMs.p99} / ${figures.paced.appliedLatencyMs.max} ms`]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\n| ${'metric'.padEnd(width)} | value |\n| ${'-'.repeat(width)} | ----- |\n`);
  for (const [k, v] of rows) process.stdout.write(`| ${k.padEnd(width)} | ${v} |\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/event-pipeline failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
