import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Actor, ALL_EVENTS, EventRegistry, type McpTool, pgSchemaName, queuePrefix, TOOLS_META_KEY } from '@toolport/contracts';
import { createPool, eventStoreMigrations, type NewEvent, PostgresEventStore, runMigrations } from '@toolport/event-store';
import { EventRelay, messagingMigrations } from '@toolport/messaging';
import { buildService } from '@toolport/platform';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tests only: the real publisher produces the versions the scanner scans; production scanner code never imports it.
import { publisherService } from '@toolport/publisher';
// eslint-disable-next-line @nx/enforce-module-boundaries -- tests only: the real catalog shows what the scanner's approvals make visible.
import { catalogService } from '@toolport/catalog';
import { destroyInstance, eventually, TEST_ADMIN_KEY, TEST_DATABASE_URL, TEST_NATS_URL, TEST_REDIS_URL, testEnv, testInstanceName } from '@toolport/testing';
import Redis from 'ioredis';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Pool } from 'pg';
import { scannerAppModule } from '../app.module';
import type { ScanEngine } from '../scan-engine/scan-engine';
import { scannerService } from '../service';

export const ANON = 'io.modelcontextprotocol.anonymous';
export const SCHEMA_URL = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json';
export const enc = encodeURIComponent;

export const serverJson = (name: string, version: string, tools: McpTool[] = [], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  $schema: SCHEMA_URL,
  name,
  description: `Test server ${name.split('/')[1]}`,
  version,
  ...(tools.length > 0 ? { _meta: { [TOOLS_META_KEY]: tools } } : {}),
  ...extra,
});

export interface ScannerTestOptions {
  /** Also start a real catalog on the same instance. */
  catalog?: boolean;
  /** Environment for the scanner (on top of the shared test environment). */
  scannerEnv?: Record<string, string>;
  /** Environment for every service (the publisher's package verification, say). */
  env?: Record<string, string>;
  engine?: ScanEngine;
}

interface StoredEvent {
  type: string;
  data: Record<string, unknown>;
  metadata: { actor: Actor; causationId: string | null };
}

/** A real publisher and a real scanner (and optionally a real catalog) on one TOOLPORT_INSTANCE. */
export class ScannerTestEnv {
  private scannerApp: NestFastifyApplication | null = null;
  private relays: EventRelay[] = [];
  private healthStore: PostgresEventStore | null = null;

  private constructor(
    readonly instance: string,
    readonly env: Record<string, string>,
    readonly publisher: NestFastifyApplication,
    readonly catalog: NestFastifyApplication | null,
    readonly pool: Pool,
    readonly nc: NatsConnection,
    readonly publisherToken: string,
  ) {}

  static async start(label: string, options: ScannerTestOptions = {}): Promise<ScannerTestEnv> {
    const instance = testInstanceName(label);
    const env = testEnv(instance, {
      TOOLPORT_AUTH_ANONYMOUS: 'true',
      TOOLPORT_VERIFY_PACKAGES: 'false',
      TOOLPORT_RATE_LIMIT_IP_PER_MINUTE: '0',
      TOOLPORT_RATE_LIMIT_TOKEN_PER_MINUTE: '0',
      TOOLPORT_SCANNER_BACKOFF_MS: '50',
      ...options.env,
    });
    const publisher = (await buildService(publisherService, publisherService.loadConfig(env))).app;
    const catalog = options.catalog ? (await buildService(catalogService, catalogService.loadConfig(env))).app : null;
    const pool = createPool(TEST_DATABASE_URL, { max: 3, applicationName: 'scanner-test' });
    const nc = await connect({ servers: TEST_NATS_URL });
    const login = await publisher.inject({ method: 'POST', url: '/v0/auth/none' });
    const self = new ScannerTestEnv(instance, env, publisher, catalog, pool, nc, login.json<{ registry_token: string }>().registry_token);
    await self.startScanner(options.scannerEnv ?? {}, options.engine);
    return self;
  }

  get scanner(): NestFastifyApplication {
    return this.scannerApp!;
  }

  get scannerSchema(): string {
    return pgSchemaName(this.instance, 'scanner');
  }

  async startScanner(extraEnv: Record<string, string> = {}, engine?: ScanEngine): Promise<NestFastifyApplication> {
    const definition = { ...scannerService, module: scannerService.module };
    if (engine) definition.module = (runtime, config) => scannerAppModule(runtime, config, { engine });
    this.scannerApp = (await buildService(definition, scannerService.loadConfig({ ...this.env, ...extraEnv }))).app;
    return this.scannerApp;
  }

  async stopScanner(): Promise<void> {
    await this.scannerApp?.close();
    this.scannerApp = null;
  }

  async publish(body: Record<string, unknown>): Promise<void> {
    const response = await this.publisher.inject({ method: 'POST', url: '/v0/publish', headers: { authorization: `Bearer ${this.publisherToken}` }, payload: body });
    if (response.statusCode !== 200) throw new Error(`publish failed: ${response.statusCode} ${response.body}`);
  }

  async setStatus(name: string, version: string, status: 'active' | 'deprecated' | 'deleted'): Promise<void> {
    const response = await this.publisher.inject({
      method: 'PATCH',
      url: `/v0/servers/${enc(name)}/versions/${enc(version)}/status`,
      headers: { authorization: `Bearer ${this.publisherToken}` },
      payload: { status },
    });
    if (response.statusCode !== 200) throw new Error(`status change failed: ${response.statusCode} ${response.body}`);
  }

  /** A token with these roles (and publish grants for `namespaces`), issued by the publisher's admin API. */
  async tokenWithRoles(subject: string, roles: string[], namespaces?: string[]): Promise<string> {
    const response = await this.publisher.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
      payload: { subject, roles, ...(namespaces ? { namespaces } : {}) },
    });
    if (response.statusCode !== 201) throw new Error(`token issue failed: ${response.statusCode} ${response.body}`);
    return response.json<{ token: string }>().token;
  }

  request(options: InjectOptions): Promise<LightMyRequestResponse> {
    return this.scanner.inject(options);
  }

  /** Every event of one of the scanner's streams, in order. */
  async streamEvents(streamId: string): Promise<StoredEvent[]> {
    const { rows } = await this.pool.query<StoredEvent>(`SELECT type, data, metadata FROM ${this.scannerSchema}.events WHERE stream_id = $1 ORDER BY stream_version`, [streamId]);
    return rows;
  }

  scanEvents(name: string, version: string): Promise<StoredEvent[]> {
    return this.streamEvents(`scan-${name}@${version}`);
  }

  /** Waits until the scan stream of a version holds `count` events of `type`. */
  async waitForScanEvents(name: string, version: string, type: string, count = 1, timeoutMs = 30_000): Promise<StoredEvent[]> {
    return eventually(
      async () => {
        const events = (await this.scanEvents(name, version)).filter((e) => e.type === type);
        return events.length >= count ? events : undefined;
      },
      { what: `${count} ${type} for ${name}@${version}`, timeoutMs, intervalMs: 100 },
    );
  }

  /** Appends health events to the health service's store and relays them, as the health service would. */
  async appendHealthEvent(streamId: string, event: NewEvent): Promise<void> {
    if (this.healthStore === null) {
      const schema = pgSchemaName(this.instance, 'health');
      await runMigrations(this.pool, schema, [...eventStoreMigrations, ...messagingMigrations]);
      const registry = new EventRegistry(ALL_EVENTS);
      this.healthStore = new PostgresEventStore({ pool: this.pool, schema, registry });
      const relay = new EventRelay({ pool: this.pool, schema, store: this.healthStore, js: jetstream(this.nc), instance: this.instance, registry, pollIntervalMs: 200 });
      relay.start();
      this.relays.push(relay);
    }
    await this.healthStore.append(streamId, [event], { expectedVersion: 'any', context: { actor: { kind: 'service', id: 'health' }, correlationId: 'test', now: new Date() } });
  }

  /** Deletes this instance's BullMQ keys only (other test files share the Redis server). */
  async flushQueueKeys(): Promise<number> {
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    let deleted = 0;
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix(this.instance)}:*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) deleted += await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    return deleted;
  }

  async close(): Promise<void> {
    for (const relay of this.relays) await relay.stop();
    await this.scannerApp?.close();
    await this.catalog?.close();
    await this.publisher.close();
    await this.pool.end();
    await this.nc.close();
    await destroyInstance(this.instance);
  }
}
