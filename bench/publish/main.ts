// Benchmark of publishing (issue: publisher): POST /v0/publish over real HTTP against a publisher
// on real PostgreSQL, NATS and Redis, with 1, 8 and 32 concurrent publishers, each publishing
// successive versions of its own server (as CI pipelines do). Package verification and rate
// limits are off: they measure other systems. Prints throughput and latency percentiles.
// Usage: npm run bench:publish -- [--per-level 300] [--levels 1,8,32] [--json]
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ProgressBar } from '@toolport/observability';
import { buildService } from '@toolport/platform';
import { publisherService } from '@toolport/publisher';
import { destroyInstance, percentile } from '@toolport/testing';

const HELP = `bench/publish: publish throughput and p50/p99 latency at several concurrency levels.

  --per-level N   publishes per concurrency level (default 300)
  --levels L      comma-separated concurrency levels (default 1,8,32)
  --json          print the figures as JSON
  --help          this text

Environment: DATABASE_URL, NATS_URL, REDIS_URL (local defaults). Uses its own TOOLPORT_INSTANCE.`;

interface Options {
  perLevel: number;
  levels: number[];
  json: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { perLevel: 300, levels: [1, 8, 32], json: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${HELP}\n`);
      process.exit(0);
    } else if (arg === '--json') options.json = true;
    else if (arg === '--per-level') options.perLevel = Math.max(1, Number(argv[++i]));
    else if (arg === '--levels') options.levels = String(argv[++i]).split(',').map(Number).filter((n) => n > 0);
    else throw new Error(`unknown argument ${arg} (see --help)`);
  }
  return options;
}


async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const instance = `bench_${randomBytes(4).toString('hex')}`;
  const config = publisherService.loadConfig({
    ...process.env,
    TOOLPORT_INSTANCE: instance,
    LOG_LEVEL: 'warn',
    TOOLPORT_AUTH_ANONYMOUS: 'true',
    TOOLPORT_VERIFY_PACKAGES: 'false',
    TOOLPORT_RATE_LIMIT_IP_PER_MINUTE: '0',
    TOOLPORT_RATE_LIMIT_TOKEN_PER_MINUTE: '0',
    TOOLPORT_DB_POOL_MAX: '16',
  });
  const { app } = await buildService(publisherService, config);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const login = await fetch(`${base}/v0/auth/none`, { method: 'POST' });
  const { registry_token: token } = (await login.json()) as { registry_token: string };

  const rows: Array<{ concurrency: number; publishes: number; errors: number; perSecond: number; p50: number; p99: number; max: number }> = [];
  for (const concurrency of options.levels) {
    const latencies: number[] = [];
    let errors = 0;
    let issued = 0;
    const bar = new ProgressBar(`${concurrency} concurrent`, options.perLevel);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async (_, publisherIndex) => {
        const name = `io.modelcontextprotocol.anonymous/bench-c${concurrency}-p${publisherIndex}`;
        for (let version = 0; issued < options.perLevel; version++) {
          issued++;
          const body = {
            $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
            name,
            description: 'Benchmark server',
            version: `1.0.${version}`,
            packages: [{ registryType: 'npm', identifier: '@bench/server', version: `1.0.${version}`, transport: { type: 'stdio' } }],
            _meta: { 'io.toolport/tools': [{ name: 'echo', description: 'Echoes', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } }] },
          };
          const t0 = performance.now();
          const response = await fetch(`${base}/v0/publish`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          await response.arrayBuffer();
          latencies.push(performance.now() - t0);
          if (response.status !== 200) errors++;
          bar.tick();
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    bar.finish();
    latencies.sort((a, b) => a - b);
    rows.push({
      concurrency,
      publishes: latencies.length,
      errors,
      perSecond: Math.round(latencies.length / seconds),
      p50: Number(percentile(latencies, 50).toFixed(1)),
      p99: Number(percentile(latencies, 99).toFixed(1)),
      max: Number((latencies.at(-1) ?? NaN).toFixed(1)),
    });
  }
  await app.close();
  await destroyInstance(instance, { databaseUrl: config.databaseUrl, natsUrl: config.natsUrl, redisUrl: config.redisUrl });

  if (options.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  process.stdout.write('\n| concurrent publishers | publishes | errors | publishes/s | p50 ms | p99 ms | max ms |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n');
  for (const r of rows) process.stdout.write(`| ${r.concurrency} | ${r.publishes} | ${r.errors} | ${r.perSecond} | ${r.p50} | ${r.p99} | ${r.max} |\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/publish failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
