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

/** The typed envelope of one definition: `EventOf<typeof TokenRevoked>`. */
export type EventOf<D> = D extends EventDefinition<infer T, infer S> ? EventEnvelope<T, Static<S>> : never;

/** The data of one definition. */
export type DataOf<D> = D extends EventDefinition<string, infer S> ? Static<S> : never;

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
 * The set of known events. One registry per process is built from `ALL_EVENTS`;
 * tests may build their own.
 */
export class EventRegistry {
  private readonly byType = new Map<string, { definition: EventDefinition; validate: ValidateFunction }>();
  private readonly validateMetadata: ValidateFunction;

  constructor(definitions: readonly EventDefinition[]) {
    const ajv = createAjv();
    this.validateMetadata = ajv.compile(EventMetadataSchema);
    for (const definition of definitions) {
      if (this.byType.has(definition.type)) throw new Error(`event type ${definition.type} is defined twice`);
      this.byType.set(definition.type, { definition, validate: ajv.compile(definition.schema) });
    }
  }

  has(type: string): boolean {
    return this.byType.has(type);
  }

  definition(type: string): EventDefinition {
    const entry = this.byType.get(type);
    if (!entry) throw new EventValidationError(type, [{ path: 'type', message: `unknown event type "${type}"` }]);
    return entry.definition;
  }

  /** Issues with the event's data (prefixed `data.`) and metadata (prefixed `metadata.`). */
  check(event: Pick<EventEnvelope, 'type' | 'data'> & { metadata?: unknown }): ValidationIssue[] {
    const entry = this.byType.get(event.type);
    if (!entry) return [{ path: 'type', message: `unknown event type "${event.type}"` }];
    const prefix = (p: string, issues: ValidationIssue[]) =>
      issues.map((i) => ({ ...i, path: i.path === '' ? p : `${p}.${i.path}` }));
    const issues = prefix('data', collectIssues(entry.validate, event.data));
    if (event.metadata !== undefined) issues.push(...prefix('metadata', collectIssues(this.validateMetadata, event.metadata)));
    return issues;
  }

  assertValid(event: Pick<EventEnvelope, 'type' | 'data'> & { metadata?: unknown }): void {
    const issues = this.check(event);
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
