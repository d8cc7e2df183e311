import { SetMetadata } from '@nestjs/common';
import type { PoolClient } from 'pg';
import type { MessageInfo } from './consumer-runner';
import type { ConsumedEvent } from './envelope-codec';

export const JETSTREAM_CONSUMER_METADATA = 'toolport:jetstream-consumer';

export interface JetStreamConsumerMetadata {
  kind: 'projection' | 'work';
  /** The part after `<service>-` in consumers.json. */
  purpose: string;
}

/** An order-sensitive projection: writes go through `tx`, committed with its checkpoint. */
export interface ProjectionHandler {
  handle(event: ConsumedEvent, tx: PoolClient, info: MessageInfo): Promise<void>;
  /**
   * Optional: applies several messages (in stream order) in one transaction, e.g. to write what
   * they touched once. Without it the runner calls handle() for each, in the same transaction.
   */
  handleBatch?(events: readonly ConsumedEvent[], tx: PoolClient, infos: readonly MessageInfo[]): Promise<void>;
  /**
   * Optional: called once the transaction that applied these events committed, before they are
   * acknowledged (e.g. to drop in-process caches of what they changed). Must not throw.
   */
  afterCommit?(events: readonly ConsumedEvent[]): void;
}

/** At-least-once work: must tolerate seeing a message twice. */
export interface WorkHandler {
  handle(event: ConsumedEvent, info: MessageInfo): Promise<void>;
}

type ClassOf<T> = abstract new (...args: never[]) => T;

/**
 * Runs the decorated provider as durable consumer `<service>-<purpose>` (a `halt` entry in
 * consumers.json). The class must implement ProjectionHandler: the compiler rejects it otherwise.
 */
export function ProjectionConsumer(purpose: string): <C extends ClassOf<ProjectionHandler>>(target: C) => void {
  return (target) => {
    SetMetadata<string, JetStreamConsumerMetadata>(JETSTREAM_CONSUMER_METADATA, { kind: 'projection', purpose })(target);
  };
}

/** Runs the decorated provider as durable consumer `<service>-<purpose>` (a `dead-letter` entry). */
export function WorkConsumer(purpose: string): <C extends ClassOf<WorkHandler>>(target: C) => void {
  return (target) => {
    SetMetadata<string, JetStreamConsumerMetadata>(JETSTREAM_CONSUMER_METADATA, { kind: 'work', purpose })(target);
  };
}

export function jetStreamConsumerMetadata(target: unknown): JetStreamConsumerMetadata | undefined {
  if (typeof target !== 'function') return undefined;
  return Reflect.getMetadata(JETSTREAM_CONSUMER_METADATA, target) as JetStreamConsumerMetadata | undefined;
}
