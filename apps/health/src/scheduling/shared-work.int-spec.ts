import type { McpTool } from '@toolport/contracts';
import { eventually } from '@toolport/testing';
import { McpEndpointHost } from '../__fixtures__/mcp-endpoint-host';
import { ANON, type HealthTestEnv, startHealthTestEnv } from '../__fixtures__/health-test-env';
import { scheduleOffset } from './schedule';

// Two health replicas (two service instances on one TOOLPORT_INSTANCE) share 200 targets served by
// four SDK server processes (listeners) of 50 endpoints each. Counted from the stored probes, not timed.
jest.setTimeout(300_000);

const INTERVAL = 20_000;
const HOSTS = 4;
const PATHS_PER_HOST = 50;
const REMOTES_PER_SERVER = 10;
const tools: McpTool[] = [{ name: 'echo', description: 'Echoes', inputSchema: { type: 'object' } }];

describe('health: replicas sharing the probe work', () => {
  let env: HealthTestEnv;
  const hosts: McpEndpointHost[] = [];

  beforeAll(async () => {
    for (let h = 0; h < HOSTS; h++) {
      const host = await McpEndpointHost.start();
      for (let p = 0; p < PATHS_PER_HOST; p++) host.set(`/e${p}`, { tools });
      hosts.push(host);
    }
    env = await startHealthTestEnv(
      'healthshare',
      { TOOLPORT_HEALTH_INTERVAL_MS: String(INTERVAL), TOOLPORT_HEALTH_CONCURRENCY: '16', TOOLPORT_HEALTH_SLOW_MS: '60000', TOOLPORT_HEALTH_RECONCILE_MS: '2000' },
    );
  });

  afterAll(async () => {
    await env?.close();
    for (const host of hosts) await host.stop();
  });

  it('probes each of 200 targets once per interval, the work spread over both replicas', async () => {
    await env.addReplica();
    const urls = hosts.flatMap((host) => Array.from({ length: PATHS_PER_HOST }, (_, p) => host.url(`/e${p}`)));
    for (let i = 0; i < urls.length / REMOTES_PER_SERVER; i++) {
      await env.publish(`${ANON}/shared-${i}`, '1.0.0', urls.slice(i * REMOTES_PER_SERVER, (i + 1) * REMOTES_PER_SERVER).map((url) => ({ url })), tools);
    }
    await eventually(async () => (Number((await env.pool.query(`SELECT count(*) AS n FROM ${env.schema}.targets`)).rows[0].n) === 200 ? true : undefined), {
      timeoutMs: 60_000,
      what: 'the 200 targets projected',
    });
    const counts = async () =>
      (await env.pool.query<{ target_id: string; n: string }>(`SELECT t.target_id, count(p.id) AS n FROM ${env.schema}.targets t LEFT JOIN ${env.schema}.probes p USING (target_id) GROUP BY t.target_id`)).rows;
    await eventually(
      async () => {
        const rows = await counts();
        return rows.length === 200 && rows.every((r) => Number(r.n) >= 3) ? true : undefined;
      },
      { timeoutMs: 240_000, intervalMs: 1000, what: 'three probes of each of the 200 targets' },
    );
    // Stop both replicas (running probes finish and are recorded) so the counts below are final.
    for (const app of env.health) await app.close();
    env.health.length = 0;

    const { rows } = await env.pool.query<{ target_id: string; remote_url: string; slots: Date[]; workers: string[] }>(
      `SELECT t.target_id, t.remote_url, array_agg(p.slot_at ORDER BY p.slot_at) AS slots, array_agg(p.worker) AS workers
         FROM ${env.schema}.targets t JOIN ${env.schema}.probes p USING (target_id) GROUP BY t.target_id, t.remote_url`,
    );
    expect(rows).toHaveLength(200);
    const workers = new Set<string>();
    for (const row of rows) {
      row.workers.forEach((w) => workers.add(w));
      // Each probe belongs to one interval window of its target's schedule (every INTERVAL ms at its offset).
      const offset = scheduleOffset(row.target_id, INTERVAL);
      const windows = row.slots.map((slot) => (slot.getTime() - offset) / INTERVAL);
      expect(windows.every(Number.isInteger)).toBe(true);
      // Never two probes in one window. (A window with none means the replicas could not keep up,
      // which is for bench/health to measure; on this shared machine it is not a test verdict.)
      expect(new Set(windows).size).toBe(windows.length);
    }
    expect(workers.size).toBe(2);

    // And no probe was made without being recorded: every endpoint received the same number of
    // HTTP requests per stored probe.
    const probesByUrl = new Map(rows.map((r) => [r.remote_url, r.slots.length]));
    const perProbe = new Set<number>();
    for (const host of hosts) {
      for (let p = 0; p < PATHS_PER_HOST; p++) {
        const requests = host.requestsByPath.get(`/e${p}`) ?? 0;
        perProbe.add(requests / probesByUrl.get(host.url(`/e${p}`))!);
      }
    }
    expect([...perProbe]).toHaveLength(1);
    expect(Number.isInteger([...perProbe][0])).toBe(true);
  });
});
