import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ALL_EVENTS, EventRegistry, type McpTool, pgSchemaName, toolHash, toolListHash } from '@toolport/contracts';
import { createPool, eventStoreMigrations, PostgresEventStore, runMigrations } from '@toolport/event-store';
import { EventRelay, messagingMigrations } from '@toolport/messaging';
import { buildService } from '@toolport/platform';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tests only: the real publisher publishes the versions whose remotes health probes; production health code never imports it.
import { publisherService } from '@toolport/publisher';
import { destroyInstance, TEST_ADMIN_KEY, TEST_DATABASE_URL, TEST_NATS_URL, testEnv, testInstanceName } from '@toolport/testing';
import type { Pool } from 'pg';
import { healthService } from '../service';

export const ANON = 'io.modelcontextprotocol.anonymous';
const SCHEMA_URL = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';

export interface StatusChange {
  streamId: string;
  remoteUrl: string;
  previousStatus: string | null;
  status: string;
  reason: string;
}

/** A real publisher and N real health services on one TOOLPORT_INSTANCE, plus the scanner's event store (approvals). */
export interface HealthTestEnv {
  instance: string;
  schema: string;
  publisher: NestFastifyApplication;
  health: NestFastifyApplication[];
  pool: Pool;
  nc: NatsConnection;
  publish(name: string, version: string, remotes: Array<{ url: string; type?: 'streamable-http' | 'sse'; variables?: Record<string, unknown> }>, tools?: McpTool[]): Promise<void>;
  setStatus(name: string, version: string, status: 'active' | 'deprecated' | 'deleted'): Promise<void>;
  /** Appends VersionApproved for `tools` to the scanner's store and relays it, as the scanner would. */
  approve(name: string, version: string, tools: McpTool[]): Promise<void>;
  tokenWithRoles(subject: string, roles: string[]): Promise<string>;
  /** Starts one more health replica on the same instance (closed by close()). */
  addReplica(): Promise<NestFastifyApplication>;
  statusChanges(): Promise<StatusChange[]>;
  events(type: string): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

export async function startHealthTestEnv(label: string, healthEnv: Record<string, string>, replicas = 1): Promise<HealthTestEnv> {
  const instance = testInstanceName(label);
  const env = testEnv(instance, {
    TOOLPORT_AUTH_ANONYMOUS: 'true',
    TOOLPORT_VERIFY_PACKAGES: 'false',
    TOOLPORT_RATE_LIMIT_IP_PER_MINUTE: '0',
    TOOLPORT_RATE_LIMIT_TOKEN_PER_MINUTE: '0',
    TOOLPORT_ALLOW_LOCAL_REMOTES: 'true',
    // Tests run on loopback, exempted from the address guard by the allow-list.
    TOOLPORT_HEALTH_ALLOW_CIDRS: '127.0.0.0/8',
    ...healthEnv,
  });
  const publisher = (await buildService(publisherService, publisherService.loadConfig(env))).app;
  const health: NestFastifyApplication[] = [];
  for (let i = 0; i < replicas; i++) health.push((await buildService(healthService, healthService.loadConfig(env))).app);
  const nc = await connect({ servers: TEST_NATS_URL });
  const pool = createPool(TEST_DATABASE_URL, { max: 4, applicationName: 'test-health' });
  const scannerSchema = pgSchemaName(instance, 'scanner');
  await runMigrations(pool, scannerSchema, [...eventStoreMigrations, ...messagingMigrations]);
  const registry = new EventRegistry(ALL_EVENTS);
  const scannerStore = new PostgresEventStore({ pool, schema: scannerSchema, registry });
  const relay = new EventRelay({ pool, schema: scannerSchema, store: scannerStore, js: jetstream(nc), instance, registry, pollIntervalMs: 200 });
  relay.start();
  const login = await publisher.inject({ method: 'POST', url: '/v0/auth/none' });
  const token = login.json<{ registry_token: string }>().registry_token;
  const schema = pgSchemaName(instance, 'health');

  return {
    instance,
    schema,
    publisher,
    health,
    pool,
    nc,
    async publish(name, version, remotes, tools = []) {
      const body = {
        $schema: SCHEMA_URL,
        name,
        description: `Test server ${name.split('/')[1]}`,
        version,
        remotes: remotes.map((r) => ({ type: r.type ?? 'streamable-http', url: r.url, ...(r.variables ? { variables: r.variables } : {}) })),
        ...(tools.length > 0 ? { _meta: { 'io.toolport/tools': tools } } : {}),
      };
      const response = await publisher.inject({ method: 'POST', url: '/v0/publish', headers: { authorization: `Bearer ${token}` }, payload: body });
      if (response.statusCode !== 200) throw new Error(`publish failed: ${response.statusCode} ${response.body}`);
    },
    async setStatus(name, version, status) {
      const response = await publisher.inject({
        method: 'PATCH',
        url: `/v0/servers/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}/status`,
        headers: { authorization: `Bearer ${token}` },
        payload: { status },
      });
      if (response.statusCode !== 200) throw new Error(`status change failed: ${response.statusCode} ${response.body}`);
    },
    async approve(name, version, tools) {
      await scannerStore.append(
        `review-${name}@${version}`,
        [
          {
            type: 'VersionApproved',
            data: {
              serverName: name,
              version,
              justification: 'test approval',
              trustLevel: 'passed',
              tools: tools.map((t) => ({ name: t.name, hash: toolHash(t) })),
              toolListHash: toolListHash(tools),
              automatic: false,
              approvedAt: new Date().toISOString(),
            },
          },
        ],
        { expectedVersion: 'any', context: { actor: { kind: 'user', id: 'reviewer' }, correlationId: 'test', now: new Date() } },
      );
    },
    async addReplica() {
      const app = (await buildService(healthService, healthService.loadConfig(env))).app;
      health.push(app);
      return app;
    },
    async tokenWithRoles(subject, roles) {
      const response = await publisher.inject({ method: 'POST', url: '/api/v1/tokens', headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` }, payload: { subject, roles } });
      if (response.statusCode !== 201) throw new Error(`token issue failed: ${response.statusCode} ${response.body}`);
      return response.json<{ token: string }>().token;
    },
    async statusChanges() {
      const { rows } = await pool.query<{ stream_id: string; data: StatusChange }>(
        `SELECT stream_id, data FROM ${schema}.events WHERE type = 'HealthStatusChanged' ORDER BY global_position`,
      );
      return rows.map((r) => ({ streamId: r.stream_id, remoteUrl: r.data.remoteUrl, previousStatus: r.data.previousStatus, status: r.data.status, reason: r.data.reason }));
    },
    async events(type) {
      const { rows } = await pool.query<{ data: Record<string, unknown> }>(`SELECT data FROM ${schema}.events WHERE type = $1 ORDER BY global_position`, [type]);
      return rows.map((r) => r.data);
    },
    async close() {
      await relay.stop();
      for (const app of health) await app.close();
      await publisher.close();
      await pool.end();
      await nc.close();
      await destroyInstance(instance);
    },
  };
}
