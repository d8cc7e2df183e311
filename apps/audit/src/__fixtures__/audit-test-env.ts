import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Actor, ALL_EVENTS, type CommandContext, EventRegistry, pgSchemaName, type ServiceName, uuidv7 } from '@toolport/contracts';
import { createPool, eventStoreMigrations, type NewEvent, PostgresEventStore, type RecordedEvent, runMigrations } from '@toolport/event-store';
import { EventRelay, messagingMigrations } from '@toolport/messaging';
import { buildService } from '@toolport/platform';
import { destroyInstance, eventually, TEST_DATABASE_URL, TEST_NATS_URL, testEnv, testInstanceName } from '@toolport/testing';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Pool } from 'pg';
import { auditWriterRole } from '../audit-log/audit-writer-role';
import { TreeHeadSigning } from '../audit-log/tree-head-signer.lifecycle';
import type { TreeHeadSigner } from '../audit-log/tree-head-signer';
import { auditService } from '../service';

/** Another service's event store and relay, appended to "as that service would" (DESIGN.md: services learn from events only). */
export interface SourceService {
  schema: string;
  store: PostgresEventStore;
  append(streamId: string, events: readonly NewEvent[], actor: Actor): Promise<RecordedEvent[]>;
}

/** A running audit service on its own TOOLPORT_INSTANCE, plus the test's own connections. */
export interface AuditTestEnv {
  instance: string;
  app: NestFastifyApplication;
  /** The test's own pool (superuser), for looking at and tampering with tables. */
  pool: Pool;
  nc: NatsConnection;
  auditSchema: string;
  signer: TreeHeadSigner;
  source(service: Exclude<ServiceName, 'audit'>): Promise<SourceService>;
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  recordCount(): Promise<number>;
  waitForRecords(count: number, timeoutMs?: number): Promise<void>;
  /** Closes the audit service and starts a new one on the same instance (app and signer change). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export const registry = new EventRegistry(ALL_EVENTS);

export const contextFor = (actor: Actor, now = new Date()): CommandContext => ({ actor, correlationId: uuidv7(now.getTime()), causationId: null, traceparent: null, now });

export async function startAudit(label: string, settings: Record<string, string> = {}, instance = testInstanceName(label)): Promise<AuditTestEnv> {
  const config = auditService.loadConfig(testEnv(instance, { TOOLPORT_RATE_LIMIT_IP_PER_MINUTE: '0', TOOLPORT_RATE_LIMIT_TOKEN_PER_MINUTE: '0', ...settings }));
  const build = async () => (await buildService(auditService, config)).app;
  const app = await build();
  const pool = createPool(TEST_DATABASE_URL, { max: 6, applicationName: `test-${instance}` });
  const nc = await connect({ servers: TEST_NATS_URL, name: `test-${instance}` });
  const relays: EventRelay[] = [];
  const sources = new Map<string, Promise<SourceService>>();
  const auditSchema = pgSchemaName(instance, 'audit');

  const openSource = async (service: Exclude<ServiceName, 'audit'>): Promise<SourceService> => {
    const schema = pgSchemaName(instance, service);
    await runMigrations(pool, schema, [...eventStoreMigrations, ...messagingMigrations]);
    const store = new PostgresEventStore({ pool, schema, registry });
    const relay = new EventRelay({ pool, schema, store, js: jetstream(nc), instance, registry, batchSize: 1000, pollIntervalMs: 500 });
    relay.start();
    relays.push(relay);
    return {
      schema,
      store,
      async append(streamId, events, actor) {
        return (await store.append(streamId, events, { expectedVersion: 'any', context: contextFor(actor) })).events;
      },
    };
  };

  const recordCount = async () => Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${auditSchema}.audit_records`)).rows[0]!.n);

  const env: AuditTestEnv = {
    instance,
    app,
    pool,
    nc,
    auditSchema,
    signer: app.get(TreeHeadSigning).signer,
    source(service) {
      if (!sources.has(service)) sources.set(service, openSource(service));
      return sources.get(service)!;
    },
    request: (options) => env.app.inject(options),
    recordCount,
    async waitForRecords(count, timeoutMs = 30_000) {
      await eventually(async () => ((await recordCount()) >= count ? true : undefined), { timeoutMs, intervalMs: 100, what: `${count} audit records` });
    },
    async restart() {
      await env.app.close();
      env.app = await build();
      env.signer = env.app.get(TreeHeadSigning).signer;
    },
    async close() {
      await env.app.close();
      for (const relay of relays) await relay.stop();
      await nc.close();
      await pool.end();
      await destroyInstance(instance);
      await dropWriterRole(auditSchema);
    },
  };
  return env;
}

/** Roles are cluster-wide and outlive the dropped schema: remove the instance's writer role. */
export async function dropWriterRole(auditSchema: string): Promise<void> {
  const pool = createPool(TEST_DATABASE_URL, { max: 1 });
  try {
    await pool.query(`DROP ROLE IF EXISTS ${auditWriterRole(auditSchema)}`);
  } finally {
    await pool.end();
  }
}
