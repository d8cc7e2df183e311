import type { Static, TSchema } from '@sinclair/typebox';
import type { ValidateFunction } from 'ajv';
import { EventMetadataSchema, type EventEnvelope } from './envelope';
import { eventSubject, type ServiceName } from './naming';
import { collectIssues, createAjv, type ValidationIssue } from './validation';

export interface EventDefinition<TType extends string = string, TSchemaT extends TSchema = TSchema> {
  /** The service whose stream owns the event. */
  service: ServiceName;
  /** The aggregate inside that service, the third segment of the subject. */
  aggregate: string;
  /** Past tense, unique across Toolport. */
  type: TType;
  /** The data schema. It only grows: a breaking change is a new type. */
  schema: TSchemaT;
}

export function defineEvent<const TType extends string, TSchemaT extends TSchema>(
  definition: EventDefinition<TType, TSchemaT>,
): EventDefinition<TType, TSchemaT> {
  return definition;
}

/**
 * An event every service may emit about itself, from its own event store to its own stream:
 * a fact each service observes alike (a burst of failed authentications), not one aggregate's.
 * It has no fixed owner: in a registry built for a service (`{ owner }`), the owner is that
 * service, so the type still resolves to exactly one service and one subject there
 * (`<instance>.<owner>.<aggregate>.<Type>`), and each service's stream holds only its own.
 * Its data must carry `service`, and an owned registry refuses data naming another service,
 * so no service can append (or relay) such an event in another's name.
 */
export interface SharedEventDefinition<TType extends string = string, TSchemaT extends TSchema = TSchema> {
  shared: true;
  aggregate: string;
  type: TType;
  schema: TSchemaT;
}

export function defineSharedEvent<const TType extends string, TSchemaT extends TSchema>(
  definition: Omit<SharedEventDefinition<TType, TSchemaT>, 'shared'>,
): SharedEventDefinition<TType, TSchemaT> {
  if ((definition.schema as { properties?: Record<string, unknown> }).properties?.['service'] === undefined) {
    throw new Error(`shared event ${definition.type} must have a "service" property in its data`);
  }
  return { ...definition, shared: true };
}

/** Either kind of definition, as listed in `ALL_EVENTS`. */
export type AnyEventDefinition = EventDefinition | SharedEventDefinition;

/** The typed envelope of one definition: `EventOf<typeof TokenRevoked>`. */
export type EventOf<D> = D extends EventDefinition<infer T, infer S>
  ? EventEnvelope<T, Static<S>>
  : D extends SharedEventDefinition<infer T, infer S>
    ? EventEnvelope<T, Static<S>>
    : never;

/** The data of one definition. */
export type DataOf<D> = D extends EventDefinition<string, infer S> ? Static<S> : D extends SharedEventDefinition<string, infer S> ? Static<S> : never;

export interface CheckOptions {
  /** The service whose stream the event came from; default: the registry's owner (the appending service). */
  emitter?: ServiceName;
}

export interface EventRegistryOptions {
  /**
   * The service this registry appends and relays for (every service runtime builds one with its
   * name). Shared events resolve to it; without an owner they can be validated but not routed.
   */
  owner?: ServiceName;
}

export class EventValidationError extends Error {
  readonly code = 'EVENT_INVALID';
  constructor(
    readonly eventType: string,
    readonly issues: ValidationIssue[],
  ) {
    super(`event ${eventType} is invalid: ${issues.map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}`);
  }
}

/**
 * The set of known events. Each service runtime builds one from `ALL_EVENTS` with itself as
 * `owner`; tests may build their own. Guarantees: a type is defined once, and resolves to one
 * owning service and one subject (a shared type to the registry's owner, see
 * SharedEventDefinition); every append is validated against the type's schema.
 */
export class EventRegistry {
  private readonly byType = new Map<string, { definition: AnyEventDefinition; validate: ValidateFunction }>();
  private readonly validateMetadata: ValidateFunction;
  readonly owner: ServiceName | null;

  constructor(definitions: readonly AnyEventDefinition[], options: EventRegistryOptions = {}) {
    const ajv = createAjv();
    this.validateMetadata = ajv.compile(EventMetadataSchema);
    this.owner = options.owner ?? null;
    for (const definition of definitions) {
      if (this.byType.has(definition.type)) throw new Error(`event type ${definition.type} is defined twice`);
      this.byType.set(definition.type, { definition, validate: ajv.compile(definition.schema) });
    }
  }

  has(type: string): boolean {
    return this.byType.has(type);
  }

  /** Whether any service may emit this type about itself (SharedEventDefinition). */
  isShared(type: string): boolean {
    const entry = this.byType.get(type);
    return entry !== undefined && isShared(entry.definition);
  }

  /** The definition with its owner: for a shared type, this registry's owner. */
  definition(type: string): EventDefinition {
    const entry = this.byType.get(type);
    if (!entry) throw new EventValidationError(type, [{ path: 'type', message: `unknown event type "${type}"` }]);
    const { definition } = entry;
    if (!isShared(definition)) return definition;
    if (this.owner === null) {
      throw new Error(`event type ${type} is shared: only a registry built for a service ({ owner }) can route it`);
    }
    return { service: this.owner, aggregate: definition.aggregate, type: definition.type, schema: definition.schema };
  }

  /**
   * Issues with the event's data (prefixed `data.`) and metadata (prefixed `metadata.`). A shared
   * event's `data.service` must name its emitter: by default this registry's owner (an append);
   * a consumer checking an event from another service's stream passes that service as `emitter`.
   */
  check(event: Pick<EventEnvelope, 'type' | 'data'> & { metadata?: unknown }, options: CheckOptions = {}): ValidationIssue[] {
    const entry = this.byType.get(event.type);
    if (!entry) return [{ path: 'type', message: `unknown event type "${event.type}"` }];
    const prefix = (p: string, issues: ValidationIssue[]) =>
      issues.map((i) => ({ ...i, path: i.path === '' ? p : `${p}.${i.path}` }));
    const issues = prefix('data', collectIssues(entry.validate, event.data));
    const emitter = options.emitter ?? this.owner;
    if (isShared(entry.definition) && emitter !== null && issues.length === 0) {
      const service = (event.data as { service?: unknown }).service;
      if (service !== emitter) issues.push({ path: 'data.service', message: `must be "${emitter}": a service emits shared events only about itself` });
    }
    if (event.metadata !== undefined) issues.push(...prefix('metadata', collectIssues(this.validateMetadata, event.metadata)));
    return issues;
  }

  assertValid(event: Pick<EventEnvelope, 'type' | 'data'> & { metadata?: unknown }, options: CheckOptions = {}): void {
    const issues = this.check(event, options);
    if (issues.length > 0) throw new EventValidationError(event.type, issues);
  }

  subjectFor(instance: string, type: string): string {
    const d = this.definition(type);
    return eventSubject(instance, d.service, d.aggregate, d.type);
  }

  types(): string[] {
    return [...this.byType.keys()];
  }
}

function isShared(definition: AnyEventDefinition): definition is SharedEventDefinition {
  return 'shared' in definition && definition.shared === true;
}
