import { randomUUID } from 'node:crypto';
import { jetstream, type JetStreamClient, type JetStreamManager, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { ALL_EVENTS, type CommandContext, EventRegistry, pgSchemaName, streamName } from '@toolport/contracts';
import { createPool, ensureDatabase, eventStoreMigrations, PostgresEventStore, type RecordedEvent, runMigrations } from '@toolport/event-store';
import type { Pool } from 'pg';
import type { ConsumerDefinition, MessagingDefinitions, StreamDefinition } from '../definitions';
import { decodeEventMessage } from '../envelope-codec';
import type { MessagingLogger } from '../messaging-logger';
import { messagingMigrations } from '../migrations';

/**
 * One integration test file's world: its own instance name, so its schema, streams and durables
 * are its own; `close()` deletes them. URLs come in as parameters (this file is not a spec, and
 * only specs may import @toolport/testing).
 */
export interface MessagingTestEnv {
  instance: string;
  schema: string;
  pool: Pool;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  registry: EventRegistry;
  store: PostgresEventStore;
  close(): Promise<void>;
}

export async function openMessagingTestEnv(instance: string, urls: { databaseUrl: string; natsUrl: string }): Promise<MessagingTestEnv> {
  await ensureDatabase(urls.databaseUrl);
  const pool = createPool(urls.databaseUrl, { max: 12, applicationName: `test-${instance}` });
  const schema = pgSchemaName(instance, 'publisher');
  await runMigrations(pool, schema, [...eventStoreMigrations, ...messagingMigrations]);
  const nc = await connect({ servers: urls.natsUrl, name: `test-${instance}` });
  const jsm = await jetstreamManager(nc);
  const registry = new EventRegistry(ALL_EVENTS);
  return {
    instance,
    schema,
    pool,
    nc,
    js: jetstream(nc),
    jsm,
    registry,
    store: new PostgresEventStore({ pool, schema, registry }),
    async close() {
      const prefix = `${instance.toUpperCase()}_`;
      for await (const name of jsm.streams.names()) {
        if (name.startsWith(prefix)) await jsm.streams.delete(name);
      }
      await nc.close();
      const { rows } = await pool.query<{ nspname: string }>(`SELECT nspname FROM pg_namespace WHERE nspname LIKE $1`, [`${instance}\\_%`]);
      for (const { nspname } of rows) await pool.query(`DROP SCHEMA ${nspname} CASCADE`);
      await pool.end();
    },
  };
}

export const testStream = (name: StreamDefinition['name']): StreamDefinition => ({
  name,
  subjects: [`${name}.>`],
  storage: 'file',
  retention: 'limits',
  maxAgeSeconds: 0,
  duplicateWindowSeconds: 120,
  replicas: 1,
});

export function testConsumer(name: string, policy: ConsumerDefinition['policy'], overrides: Partial<ConsumerDefinition> = {}): ConsumerDefinition {
  return {
    name,
    stream: 'publisher',
    filterSubjects: ['publisher.token.>'],
    policy,
    maxDeliver: 3,
    ackWaitSeconds: 30,
    backoffSeconds: [0.05],
    ...overrides,
  };
}

export function testDefinitions(consumers: ConsumerDefinition[] = []): MessagingDefinitions {
  return { streams: [testStream('publisher'), testStream('dlq')], consumers };
}

export function testContext(overrides: Partial<CommandContext> = {}): CommandContext {
  return { actor: { kind: 'user', id: 'alice@example.com' }, correlationId: randomUUID(), now: new Date('2030-05-06T07:08:09.123Z'), ...overrides };
}

export const tokenRevoked = (tokenId: string) => ({ type: 'TokenRevoked', data: { tokenId, expiresAt: '2031-01-01T00:00:00.000Z' } });
export const tokenIssued = (tokenId: string) => ({
  type: 'TokenIssued',
  data: { tokenId, subject: 'ci-robot', roles: ['publisher'], permissions: [], expiresAt: '2031-01-01T00:00:00.000Z' },
});

/** Appends one revocation per token id, each to its own stream, and returns what was recorded. */
export async function appendRevocations(env: MessagingTestEnv, tokenIds: string[]): Promise<RecordedEvent[]> {
  const recorded: RecordedEvent[] = [];
  for (const tokenId of tokenIds) {
    const result = await env.store.append(`token-${tokenId}`, [tokenRevoked(tokenId)], { expectedVersion: 'no_stream', context: testContext() });
    recorded.push(...result.events);
  }
  return recorded;
}

/** Every message of a stream, in stream order (an ordered consumer: no durable left behind). */
export async function readStream(env: MessagingTestEnv, service: 'publisher' | 'dlq'): Promise<JsMsg[]> {
  const name = streamName(env.instance, service);
  const total = (await env.jsm.streams.info(name)).state.messages;
  const messages: JsMsg[] = [];
  if (total === 0) return messages;
  const consumer = await env.js.consumers.get(name);
  while (messages.length < total) {
    const batch = await consumer.fetch({ max_messages: total - messages.length, expires: 2000 });
    for await (const msg of batch) messages.push(msg);
  }
  return messages;
}

export const positionsOf = (messages: JsMsg[]): number[] => messages.map((m) => decodeEventMessage(m.data).globalPosition);

export async function waitFor(description: string, predicate: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A logger that keeps what it is told, to assert on. */
export function recordingLogger(): MessagingLogger & { entries: { level: string; fields: object; message: string }[] } {
  const entries: { level: string; fields: object; message: string }[] = [];
  const at = (level: string) => (fields: object, message: string) => void entries.push({ level, fields, message });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
