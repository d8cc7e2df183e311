import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  AckPolicy,
  type ConsumerConfig,
  type ConsumerInfo,
  DeliverPolicy,
  DiscardPolicy,
  type JetStreamManager,
  ReplayPolicy,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import { assertInstanceName, durableName, streamName } from '@toolport/contracts';
import { type ConsumerDefinition, type MessagingDefinitions, parseMessagingDefinitions, type StreamDefinition } from './definitions';

/**
 * infra/nats at the repository root. Resolved from this file's folder, which is
 * libs/messaging/src under Jest and libs/messaging/dist once built: both sit three levels below
 * the root, so apps started from dist find the same files.
 */
export const DEFAULT_NATS_DEFINITIONS_DIR = path.resolve(__dirname, '..', '..', '..', 'infra', 'nats');

/** Reads and validates `<dir>/streams.json` and `<dir>/consumers.json`. */
export async function loadMessagingDefinitions(dir: string = DEFAULT_NATS_DEFINITIONS_DIR): Promise<MessagingDefinitions> {
  const read = async (file: string): Promise<unknown> => {
    const full = path.join(dir, file);
    let text: string;
    try {
      text = await readFile(full, 'utf8');
    } catch (error) {
      throw new Error(`cannot read NATS definitions ${full}: ${(error as Error).message}`, { cause: error });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new Error(`${full} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  };
  return parseMessagingDefinitions(await read('streams.json'), await read('consumers.json'), dir);
}

/**
 * Server-side settings of a durable pull consumer. Both kinds have unlimited server-side
 * `max_deliver`: the runner counts attempts and decides when to halt or dead-letter. A server
 * limit would strand the message (never delivered again, never acknowledged) if the runner's
 * dead-letter publish failed on the last attempt, and would keep a halted projection from being
 * resumed. A projection may have a batch outstanding (`max_ack_pending`, default
 * DEFAULT_PROJECTION_BATCH): its runner applies them in stream order, in one transaction with the
 * checkpoint, and refuses messages handed to it out of turn (projection-checkpoint.ts), so order
 * holds with several replicas on one durable too.
 */
export const DEFAULT_WORK_MAX_ACK_PENDING = 64;

/**
 * The most messages a projection applies in one transaction, and so its `max_ack_pending`, unless
 * its definition says `maxAckPending`. One transaction per message capped the catalog's
 * projection at ~130 events/s (bench/catalog, 10,000 servers).
 */
export const DEFAULT_PROJECTION_BATCH = 256;

export function consumerConfig(instance: string, definition: ConsumerDefinition): ConsumerConfig {
  const filters = definition.filterSubjects.map((s) => `${instance}.${s}`);
  return {
    durable_name: durableName(instance, definition.name),
    ...(definition.description ? { description: definition.description } : {}),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    replay_policy: ReplayPolicy.Instant,
    ack_wait: secondsToNanos(definition.ackWaitSeconds),
    max_deliver: -1,
    max_ack_pending: definition.maxAckPending ?? (definition.policy === 'halt' ? DEFAULT_PROJECTION_BATCH : DEFAULT_WORK_MAX_ACK_PENDING),
    // One filter uses `filter_subject`, which NATS 2.9 understands; several need 2.10's `filter_subjects`.
    ...(filters.length === 1 ? { filter_subject: filters[0] } : { filter_subjects: filters }),
  };
}

export function streamConfig(instance: string, definition: StreamDefinition, replicas?: number): StreamConfig {
  return {
    name: streamName(instance, definition.name),
    ...(definition.description ? { description: definition.description } : {}),
    subjects: definition.subjects.map((s) => `${instance}.${s}`),
    storage: definition.storage === 'file' ? StorageType.File : StorageType.Memory,
    retention: { limits: RetentionPolicy.Limits, interest: RetentionPolicy.Interest, workqueue: RetentionPolicy.Workqueue }[definition.retention],
    discard: DiscardPolicy.Old,
    max_age: secondsToNanos(definition.maxAgeSeconds),
    max_bytes: definition.maxBytes ?? -1,
    duplicate_window: secondsToNanos(definition.duplicateWindowSeconds),
    num_replicas: replicas ?? definition.replicas,
  } as StreamConfig;
}

export interface ProvisionedItem {
  /** The name on the server (instance-prefixed). */
  name: string;
  action: 'created' | 'updated' | 'unchanged';
  /** Settings that differed, for `updated`. */
  changed: string[];
}

export interface ProvisioningReport {
  streams: ProvisionedItem[];
  consumers: ProvisionedItem[];
}

export interface ProvisioningOptions {
  /** Replicas for every stream, overriding the files (3 on a JetStream cluster). */
  replicas?: number;
}

/**
 * Creates or updates every stream and durable pull consumer so the server matches the
 * definitions. Safe to run at every start and from several processes at once: an item already
 * matching is left alone, a changed setting is updated in place (stream data and consumer
 * positions are kept), and settings JetStream cannot change in place (storage, retention) fail
 * with a message saying so instead of deleting anything. Consumers missing from the files are
 * left on the server: removing one is an operator's decision.
 */
export async function provisionJetStream(
  jsm: JetStreamManager,
  instance: string,
  definitions: MessagingDefinitions,
  options: ProvisioningOptions = {},
): Promise<ProvisioningReport> {
  assertInstanceName(instance);
  const report: ProvisioningReport = { streams: [], consumers: [] };
  for (const definition of definitions.streams) {
    report.streams.push(await provisionStream(jsm, streamConfig(instance, definition, options.replicas)));
  }
  for (const definition of definitions.consumers) {
    const stream = definitions.streams.find((s) => s.name === definition.stream)!;
    report.consumers.push(await provisionConsumer(jsm, streamName(instance, stream.name), consumerConfig(instance, definition)));
  }
  return report;
}

async function provisionStream(jsm: JetStreamManager, desired: StreamConfig): Promise<ProvisionedItem> {
  const existing = await streamInfo(jsm, desired.name);
  if (!existing) {
    try {
      await jsm.streams.add(desired);
      return { name: desired.name, action: 'created', changed: [] };
    } catch (error) {
      // Another process created it between our lookup and add: compare with what it made.
      const raced = await streamInfo(jsm, desired.name);
      if (!raced) throw error;
      return updateStream(jsm, desired, raced);
    }
  }
  return updateStream(jsm, desired, existing);
}

async function updateStream(jsm: JetStreamManager, desired: StreamConfig, existing: StreamInfo): Promise<ProvisionedItem> {
  const current = existing.config;
  for (const fixed of ['storage', 'retention'] as const) {
    if (current[fixed] !== desired[fixed]) {
      throw new Error(
        `stream ${desired.name} has ${fixed} "${current[fixed]}" but the definitions say "${desired[fixed]}"; ` +
          'JetStream cannot change it in place: migrate the data to a new stream or delete this one deliberately',
      );
    }
  }
  const changed: string[] = [];
  if ((current.description ?? '') !== (desired.description ?? '')) changed.push('description');
  if ([...current.subjects].sort().join(' ') !== [...desired.subjects].sort().join(' ')) changed.push('subjects');
  for (const key of ['max_age', 'max_bytes', 'duplicate_window', 'num_replicas', 'discard'] as const) {
    if (current[key] !== desired[key]) changed.push(key);
  }
  if (changed.length === 0) return { name: desired.name, action: 'unchanged', changed };
  await jsm.streams.update(desired.name, { ...current, ...desired });
  return { name: desired.name, action: 'updated', changed };
}

async function provisionConsumer(jsm: JetStreamManager, stream: string, desired: ConsumerConfig): Promise<ProvisionedItem> {
  const durable = desired.durable_name!;
  const existing = await consumerInfo(jsm, stream, durable);
  if (!existing) {
    try {
      await jsm.consumers.add(stream, desired);
      return { name: durable, action: 'created', changed: [] };
    } catch (error) {
      const raced = await consumerInfo(jsm, stream, durable);
      if (!raced) throw error;
      return updateConsumer(jsm, stream, desired, raced);
    }
  }
  return updateConsumer(jsm, stream, desired, existing);
}

async function updateConsumer(jsm: JetStreamManager, stream: string, desired: ConsumerConfig, existing: ConsumerInfo): Promise<ProvisionedItem> {
  const current = existing.config;
  const durable = desired.durable_name!;
  for (const fixed of ['ack_policy', 'deliver_policy'] as const) {
    if (current[fixed] !== desired[fixed]) {
      throw new Error(
        `consumer ${durable} on ${stream} has ${fixed} "${current[fixed]}", not "${desired[fixed]}"; ` +
          'JetStream cannot change it in place: delete the consumer deliberately (its position is lost) and start again',
      );
    }
  }
  const changed: string[] = [];
  if ((current.description ?? '') !== (desired.description ?? '')) changed.push('description');
  if (filtersOf(current).join(' ') !== filtersOf(desired).join(' ')) changed.push('filter_subjects');
  for (const key of ['ack_wait', 'max_deliver', 'max_ack_pending'] as const) {
    if (current[key] !== desired[key]) changed.push(key);
  }
  if (changed.length === 0) return { name: durable, action: 'unchanged', changed };
  // `update` merges onto the current config: clear the filter form we are not using.
  await jsm.consumers.update(stream, durable, {
    description: desired.description,
    ack_wait: desired.ack_wait,
    max_deliver: desired.max_deliver,
    max_ack_pending: desired.max_ack_pending,
    filter_subject: desired.filter_subject,
    filter_subjects: desired.filter_subjects,
  });
  return { name: durable, action: 'updated', changed };
}

function filtersOf(config: Pick<ConsumerConfig, 'filter_subject' | 'filter_subjects'>): string[] {
  const filters = config.filter_subjects?.length ? config.filter_subjects : config.filter_subject ? [config.filter_subject] : [];
  return [...filters].sort();
}

async function streamInfo(jsm: JetStreamManager, name: string): Promise<StreamInfo | null> {
  try {
    return await jsm.streams.info(name);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

async function consumerInfo(jsm: JetStreamManager, stream: string, durable: string): Promise<ConsumerInfo | null> {
  try {
    return await jsm.consumers.info(stream, durable);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** JetStream API codes 10059 (stream not found) and 10014 (consumer not found). */
function isNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 10059 || code === 10014;
}

function secondsToNanos(seconds: number): number {
  return Math.round(seconds * 1e9);
}
