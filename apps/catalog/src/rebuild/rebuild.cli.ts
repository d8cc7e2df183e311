// `npm run catalog:rebuild`: empties the catalog's read model and replays the publisher, scanner
// and health streams into it from their first message (see rebuild-read-model.ts), then prints
// what the read model holds. Safe while the catalog runs: live projections wait, then go on.
import { connect } from '@nats-io/transport-node';
import { loadConfigOrExit } from '@toolport/config';
import { pgSchemaName } from '@toolport/contracts';
import { createPool, ensureDatabase, runMigrations } from '@toolport/event-store';
import { messagingMigrations } from '@toolport/messaging';
import { ProgressBar } from '@toolport/observability';
import { loadConfig } from '../config';
import { createSearchIndex } from '../search/search-config';
import { catalogService } from '../service';
import { rebuildReadModel, type RebuildReport } from './rebuild-read-model';

const HELP = `npm run catalog:rebuild -- [--json]

Rebuilds the catalog's read model (servers, versions, tools, security and health state) from
the event streams of the publisher, scanner and health services on NATS JetStream, from their
first message, in one transaction: readers see the old read model until the new one is complete.
The catalog may keep running; its projections pause during the rebuild and resume after it.
With MEILI_URL set, the Meilisearch index is rebuilt from the new read model too (a new index
swapped in). The embedded engine lives inside the running catalog: restart it to refill it.

  --json   print the report as JSON (the progress bar stays on stderr)
  --help   this text

Environment: TOOLPORT_INSTANCE, DATABASE_URL, NATS_URL, MEILI_URL (as the catalog service reads them).`;

class UsageError extends Error {}

function parseArgs(argv: string[]): { json: boolean } {
  let json = false;
  for (const arg of argv) {
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${HELP}\n`);
      process.exit(0);
    } else if (arg === '--json') json = true;
    else throw new UsageError(`unknown argument ${arg} (see --help)`);
  }
  return { json };
}

function printTable(report: RebuildReport): void {
  const rows: Array<[string, string | number]> = [
    ...Object.entries(report.messages).map(([consumer, count]): [string, number] => [`messages read (${consumer})`, count]),
    ['events applied', report.applied],
    ...Object.entries(report.counts),
    ['duration (ms)', report.durationMs],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\n| ${'read model'.padEnd(width)} | count |\n| ${'-'.repeat(width)} | ----- |\n`);
  for (const [k, v] of rows) process.stdout.write(`| ${k.padEnd(width)} | ${v} |\n`);
}

async function main(): Promise<void> {
  const { json } = parseArgs(process.argv.slice(2));
  const config = loadConfigOrExit('catalog:rebuild', () => loadConfig());
  const schema = pgSchemaName(config.instance, 'catalog');
  await ensureDatabase(config.databaseUrl);
  const pool = createPool(config.databaseUrl, { max: 2, applicationName: 'toolport-catalog-rebuild' });
  const nc = await connect({ servers: config.natsUrl, name: 'toolport-catalog-rebuild' });
  const search = config.search.meiliUrl === null ? undefined : createSearchIndex(config.search, config.instance);
  try {
    await runMigrations(pool, schema, [...catalogService.migrations, ...messagingMigrations]);
    let bar: ProgressBar | undefined;
    await search?.init();
    const report = await rebuildReadModel({
      pool,
      schema,
      instance: config.instance,
      nc,
      ...(search ? { search } : {}),
      onPlan: (total) => (bar = new ProgressBar('replaying', total)),
      onMessage: () => bar?.tick(),
    });
    bar?.finish();
    if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else printTable(report);
  } finally {
    await search?.close();
    await nc.close();
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`catalog:rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
