import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { DynamicModule } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Actor, ALL_EVENTS, durableName, EventRegistry, pgSchemaName, streamName } from '@toolport/contracts';
import { createPool, eventStoreMigrations, type NewEvent, PostgresEventStore, runMigrations } from '@toolport/event-store';
import { EventRelay, messagingMigrations } from '@toolport/messaging';
import { buildService, PG_POOL } from '@toolport/platform';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tests only: the real publisher produces the events the catalog projects; production catalog code never imports it.
import { publisherService } from '@toolport/publisher';
import { destroyInstance, eventually, TEST_ADMIN_KEY, TEST_DATABASE_URL, TEST_NATS_URL, testEnv, testInstanceName } from '@toolport/testing';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Pool } from 'pg';
import { catalogAppModule } from '../app.module';
import { CATALOG_SOURCES } from '../read-model/catalog-events';
import { SEARCH_INDEX } from '../search/search-index';
import { catalogService } from '../service';
import { RecordingSearchIndex } from './recording-search-index';

/** Appends events to another service's event store (its own schema) and relays them to its stream, as that service would. */
export interface ForeignEvents {
  append(streamId: string, events: NewEvent[], actor?: Actor): Promise<void>;
}

/** A real publisher and a real catalog on one TOOLPORT_INSTANCE, plus scanner and health event producers. */
export interface CatalogTestEnv {
  instance: string;
  catalogSchema: string;
  publisher: NestFastifyApplication;
  catalog: NestFastifyApplication;
  catalogPool: Pool;
  search: RecordingSearchIndex;
  scanner: ForeignEvents;
  health: ForeignEvents;
  nc: NatsConnection;
  /** An anonymous publisher token (publish and edit `io.modelcontextprotocol.anonymous/*`). */
  token: string;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  publish(body: Record<string, unknown>): Promise<void>;
  setStatus(name: string, version: string, status: 'active' | 'deprecated' | 'deleted', statusMessage?: string): Promise<void>;
  /** A token with these roles, issued by the publisher's admin API. */
  tokenWithRoles(subject: string, roles: string[]): Promise<string>;
  /** Waits until the catalog's three projections have applied everything in their streams. */
  caughtUp(): Promise<void>;
  restartCatalog(): Promise<void>;
  /** Another catalog on the same instance, wired exactly as in production (its own search index); the caller closes it. */
  startProductionCatalog(): Promise<NestFastifyApplication>;
  close(): Promise<void>;
}

export const ANON = 'io.modelcontextprotocol.anonymous';
export const SCHEMA_URL = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';

export const serverJson = (name: string, version: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  $schema: SCHEMA_URL,
  name,
  description: `Test server ${name.split('/')[1]}`,
  version,
  ...extra,
});

export function searchModule(index: RecordingSearchIndex): DynamicModule {
  return { module: class RecordingSearchModule {}, providers: [{ provide: SEARCH_INDEX, useValue: index }], exports: [SEARCH_INDEX] };
}

async function foreignEvents(instance: string, service: 'scanner' | 'health', nc: NatsConnection, pools: Pool[], relays: EventRelay[]): Promise<ForeignEvents> {
  const pool = createPool(TEST_DATABASE_URL, { max: 3, applicationName: `test-${service}` });
  pools.push(pool);
  const schema = pgSchemaName(instance, service);
  await runMigrations(pool, schema, [...eventStoreMigrations, ...messagingMigrations]);
  const registry = new EventRegistry(ALL_EVENTS);
  const store = new PostgresEventStore({ pool, schema, registry });
  const relay = new EventRelay({ pool, schema, store, js: jetstream(nc), instance, registry, pollIntervalMs: 500 });
  relay.start();
  relays.push(relay);
  return {
    async append(streamId, events, actor = { kind: 'service', id: service }) {
      await store.append(streamId, events, { expectedVersion: 'any', context: { actor, correlationId: 'test', now: new Date() } });
    },
  };
}

export interface CatalogTestOptions {
  /**
   * The catalog's own search index (the embedded engine) instead of the recording one: for tests
   * of search as it is updated live (`search` then stays empty). A second catalog started beside
   * the environment's would share its durable consumers, and so get only part of the updates.
   */
  productionSearch?: boolean;
}

export async function startCatalogTestEnv(label: string, extraEnv: Record<string, string> = {}, options: CatalogTestOptions = {}): Promise<CatalogTestEnv> {
  const instance = testInstanceName(label);
  const env = testEnv(instance, {
    TOOLPORT_AUTH_ANONYMOUS: 'true',
    TOOLPORT_VERIFY_PACKAGES: 'false',
    TOOLPORT_RATE_LIMIT_IP_PER_MINUTE: '0',
    TOOLPORT_RATE_LIMIT_TOKEN_PER_MINUTE: '0',
    ...extraEnv,
  });
  const search = new RecordingSearchIndex();
  const definition = { ...catalogService, module: catalogService.module };
  definition.module = (runtime, config) => catalogAppModule(runtime, config, { search: searchModule(search) });
  const startCatalog = async () => (await buildService(options.productionSearch ? catalogService : definition, catalogService.loadConfig(env))).app;

  const publisher = (await buildService(publisherService, publisherService.loadConfig(env))).app;
  let catalog = await startCatalog();
  const nc = await connect({ servers: TEST_NATS_URL });
  const pools: Pool[] = [];
  const relays: EventRelay[] = [];
  const scanner = await foreignEvents(instance, 'scanner', nc, pools, relays);
  const health = await foreignEvents(instance, 'health', nc, pools, relays);
  const login = await publisher.inject({ method: 'POST', url: '/v0/auth/none' });
  const token = login.json<{ registry_token: string }>().registry_token;
  const jsm = await jetstreamManager(nc);

  const self: CatalogTestEnv = {
    instance,
    catalogSchema: pgSchemaName(instance, 'catalog'),
    publisher,
    get catalog() {
      return catalog;
    },
    get catalogPool() {
      return catalog.get<symbol, Pool>(PG_POOL);
    },
    search,
    scanner,
    health,
    nc,
    token,
    get: (url, headers = {}) => catalog.inject({ method: 'GET', url, headers }),
    request: (options) => catalog.inject(options),
    async publish(body) {
      const response = await publisher.inject({ method: 'POST', url: '/v0/publish', headers: { authorization: `Bearer ${token}` }, payload: body });
      if (response.statusCode !== 200) throw new Error(`publish failed: ${response.statusCode} ${response.body}`);
    },
    async setStatus(name, version, status, statusMessage) {
      const response = await publisher.inject({
        method: 'PATCH',
        url: `/v0/servers/${encodeURIComponent(name)}/versions/${encodeURIComponent(version)}/status`,
        headers: { authorization: `Bearer ${token}` },
        payload: { status, ...(statusMessage ? { statusMessage } : {}) },
      });
      if (response.statusCode !== 200) throw new Error(`status change failed: ${response.statusCode} ${response.body}`);
    },
    async tokenWithRoles(subject, roles) {
      const response = await publisher.inject({ method: 'POST', url: '/api/v1/tokens', headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` }, payload: { subject, roles } });
      if (response.statusCode !== 201) throw new Error(`token issue failed: ${response.statusCode} ${response.body}`);
      return response.json<{ token: string }>().token;
    },
    async caughtUp() {
      // First every appended event published by its relay, then every published one applied.
      for (const service of ['publisher', 'scanner', 'health'] as const) {
        const schema = pgSchemaName(instance, service);
        await eventually(
          async () => {
            const { rows } = await pools[0]!.query<{ appended: string; relayed: string | null }>(
              `SELECT (SELECT COALESCE(MAX(global_position), 0) FROM ${schema}.events) AS appended, (SELECT MAX(position) FROM ${schema}.relay_checkpoint) AS relayed`,
            );
            return Number(rows[0]!.appended) === Number(rows[0]!.relayed ?? 0) ? true : undefined;
          },
          { what: `the ${service} relay to publish everything`, timeoutMs: 30_000 },
        );
      }
      for (const source of CATALOG_SOURCES) {
        const stream = streamName(instance, source.stream);
        await eventually(
          async () => {
            const info = await jsm.streams.info(stream, { subjects_filter: `${instance}.${source.filterSubject}` });
            const expected = Object.values(info.state.subjects ?? {}).reduce((a, b) => a + b, 0);
            const consumer = await jsm.consumers.info(stream, durableName(instance, source.consumer));
            // Every message matching the filter delivered and acknowledged (the relays may still be publishing: check the source too).
            return consumer.num_pending === 0 && consumer.num_ack_pending === 0 && consumer.delivered.consumer_seq >= expected ? true : undefined;
          },
          { what: `${source.consumer} to catch up`, timeoutMs: 30_000 },
        );
      }
    },
    async startProductionCatalog() {
      return (await buildService(catalogService, catalogService.loadConfig(env))).app;
    },
    async restartCatalog() {
      await catalog.close();
      catalog = await startCatalog();
    },
    async close() {
      for (const relay of relays) await relay.stop();
      await catalog?.close();
      await publisher?.close();
      for (const pool of pools) await pool.end();
      await nc?.close();
      await destroyInstance(instance);
    },
  };
  return self;
}
