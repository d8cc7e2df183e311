import type { Actor } from '@toolport/contracts';
import { payloadDigest } from '../transparency-log/canonical-json';
import type { AuditRecord } from '../transparency-log/log-format';
import { summarise } from './event-summary';

/** A record before the log gives it its place (seq). */
export type UnplacedRecord = Omit<AuditRecord, 'seq'>;

/** What the audit log needs of an incoming event: its envelope, however it arrived. */
export interface AuditedEvent {
  type: string;
  data: unknown;
  metadata: { eventId: string; streamId: string; occurredAt: string; actor: Actor };
}

export class UnauditableEventError extends Error {
  readonly code = 'EVENT_NOT_AUDITABLE';
}

const ACTOR_KINDS: readonly string[] = ['user', 'token', 'service', 'anonymous'];

/** The server (and version) an event is about: `serverName`/`version` in its data, where present. */
export function subjectOf(data: unknown): AuditRecord['subject'] {
  if (typeof data !== 'object' || data === null) return null;
  const { serverName, version } = data as { serverName?: unknown; version?: unknown };
  if (typeof serverName !== 'string' || serverName === '') return null;
  return { serverName, version: typeof version === 'string' && version !== '' ? version : null };
}

/**
 * The record for one event. The envelope fields a record commits to must be there and sane: a
 * message without them is a broken producer, and the projection halts on it (DESIGN.md
 * "Consumers") rather than write a record that names no actor. The data itself is never
 * checked against a schema: a type this code does not know is recorded all the same.
 */
export function auditRecordOf(event: AuditedEvent): UnplacedRecord {
  const { metadata } = event;
  const problems: string[] = [];
  if (typeof event.type !== 'string' || event.type === '') problems.push('type is missing');
  if (typeof metadata?.eventId !== 'string' || metadata.eventId === '') problems.push('metadata.eventId is missing');
  if (typeof metadata?.streamId !== 'string' || metadata.streamId === '') problems.push('metadata.streamId is missing');
  if (typeof metadata?.occurredAt !== 'string' || Number.isNaN(Date.parse(metadata.occurredAt))) problems.push('metadata.occurredAt is not a date-time');
  const actor = metadata?.actor as Partial<Actor> | undefined;
  if (typeof actor?.id !== 'string' || actor.id === '' || typeof actor.kind !== 'string' || !ACTOR_KINDS.includes(actor.kind)) {
    problems.push('metadata.actor is not {kind, id}');
  }
  if (problems.length > 0) throw new UnauditableEventError(`event ${String(metadata?.eventId)} cannot be audited: ${problems.join('; ')}`);
  const cleanActor: Actor = { kind: metadata.actor.kind, id: metadata.actor.id };
  return {
    eventId: metadata.eventId,
    type: event.type,
    streamId: metadata.streamId,
    actor: cleanActor,
    occurredAt: metadata.occurredAt,
    subject: subjectOf(event.data),
    summary: summarise({ type: event.type, data: event.data, actor: cleanActor, streamId: metadata.streamId }),
    payloadDigest: payloadDigest(event.data),
    payload: event.data,
  };
}
