import { Type, type Static } from '@sinclair/typebox';
import { collectIssues, createAjv, SERVICE_NAMES, type ValidationIssue } from '@toolport/contracts';

/**
 * The declarative shape of infra/nats/streams.json and consumers.json. Names and subjects are
 * relative to the instance: provisioning prefixes them (see libs/contracts/src/naming.ts), so one
 * file serves every TOOLPORT_INSTANCE.
 */

/** A relative NATS subject: dot-separated tokens, `*` a whole token, `>` only as the last token. */
const SUBJECT_PATTERN = '^([a-zA-Z0-9_-]+|\\*)(\\.([a-zA-Z0-9_-]+|\\*))*(\\.>)?$';

const StreamDefinitionSchema = Type.Object(
  {
    /** A service name (its events) or `dlq` (dead letters); becomes `<INSTANCE>_<NAME>`. */
    name: Type.Union([...SERVICE_NAMES.map((s) => Type.Literal(s)), Type.Literal('dlq')]),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    subjects: Type.Array(Type.String({ pattern: SUBJECT_PATTERN }), { minItems: 1 }),
    storage: Type.Union([Type.Literal('file'), Type.Literal('memory')]),
    retention: Type.Union([Type.Literal('limits'), Type.Literal('interest'), Type.Literal('workqueue')]),
    /** 0 keeps messages forever. */
    maxAgeSeconds: Type.Integer({ minimum: 0 }),
    /** -1 for no limit. */
    maxBytes: Type.Optional(Type.Integer({ minimum: -1 })),
    /** How long JetStream remembers a Nats-Msg-Id to drop a re-publish of the same event. */
    duplicateWindowSeconds: Type.Integer({ minimum: 1 }),
    /** 1 on a single server, 3 in a cluster; provisioning may override it for every stream. */
    replicas: Type.Integer({ minimum: 1, maximum: 5 }),
  },
  { additionalProperties: false },
);

const ConsumerDefinitionSchema = Type.Object(
  {
    /** `<service>-<purpose>`: the consuming service first. */
    name: Type.String({ pattern: `^(${SERVICE_NAMES.join('|')})-[a-z0-9]+(-[a-z0-9]+)*$`, maxLength: 80 }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    /** The `name` of a stream definition. */
    stream: Type.String({ minLength: 1 }),
    filterSubjects: Type.Array(Type.String({ pattern: SUBJECT_PATTERN }), { minItems: 1 }),
    /** `halt`: order-sensitive projection; `dead-letter`: work that may overtake a failing message. */
    policy: Type.Union([Type.Literal('halt'), Type.Literal('dead-letter')]),
    /** Attempts before halting or dead-lettering. */
    maxDeliver: Type.Integer({ minimum: 1, maximum: 1000 }),
    ackWaitSeconds: Type.Number({ exclusiveMinimum: 0, maximum: 3600 }),
    /** Delay before attempt n+1 after failed attempt n; the last value repeats. Empty: retry at once. */
    backoffSeconds: Type.Array(Type.Number({ minimum: 0, maximum: 3600 })),
    /** Messages handed out at once: work default 64; projections default 256, their largest transaction (1: one message at a time). */
    maxAckPending: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  },
  { additionalProperties: false },
);

const StreamsFileSchema = Type.Object(
  { $comment: Type.Optional(Type.String()), streams: Type.Array(StreamDefinitionSchema) },
  { additionalProperties: false },
);
const ConsumersFileSchema = Type.Object(
  { $comment: Type.Optional(Type.String()), consumers: Type.Array(ConsumerDefinitionSchema) },
  { additionalProperties: false },
);

export type StreamDefinition = Static<typeof StreamDefinitionSchema>;
export type ConsumerDefinition = Static<typeof ConsumerDefinitionSchema>;
export type ConsumerPolicy = ConsumerDefinition['policy'];

export interface MessagingDefinitions {
  streams: StreamDefinition[];
  consumers: ConsumerDefinition[];
}

export class MessagingDefinitionsError extends Error {
  readonly code = 'MESSAGING_DEFINITIONS_INVALID';
  constructor(
    readonly source: string,
    readonly issues: ValidationIssue[],
  ) {
    super(`${source} is invalid: ${issues.map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}`);
  }
}

const ajv = createAjv();
const validateStreamsFile = ajv.compile(StreamsFileSchema);
const validateConsumersFile = ajv.compile(ConsumersFileSchema);

/**
 * Checks the two documents (already parsed from JSON) and returns them typed. Beyond the
 * schemas: names are unique, each consumer's stream exists, and each filter subject lies inside
 * its stream's subjects (JetStream would reject it at provisioning time with a vaguer message).
 */
export function parseMessagingDefinitions(streamsDocument: unknown, consumersDocument: unknown, source = 'messaging definitions'): MessagingDefinitions {
  const issues = [
    ...collectIssues(validateStreamsFile, streamsDocument).map((i) => ({ ...i, path: `streams.json ${i.path}`.trim() })),
    ...collectIssues(validateConsumersFile, consumersDocument).map((i) => ({ ...i, path: `consumers.json ${i.path}`.trim() })),
  ];
  if (issues.length > 0) throw new MessagingDefinitionsError(source, issues);
  const definitions: MessagingDefinitions = {
    streams: (streamsDocument as Static<typeof StreamsFileSchema>).streams,
    consumers: (consumersDocument as Static<typeof ConsumersFileSchema>).consumers,
  };
  const semantic = checkReferences(definitions);
  if (semantic.length > 0) throw new MessagingDefinitionsError(source, semantic);
  return definitions;
}

function checkReferences({ streams, consumers }: MessagingDefinitions): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const streamsByName = new Map<string, StreamDefinition>();
  streams.forEach((stream, i) => {
    if (streamsByName.has(stream.name)) issues.push({ path: `streams[${i}].name`, message: `stream "${stream.name}" is defined twice` });
    streamsByName.set(stream.name, stream);
  });
  const consumerNames = new Set<string>();
  consumers.forEach((consumer, i) => {
    const at = `consumers[${i}]`;
    if (consumerNames.has(consumer.name)) issues.push({ path: `${at}.name`, message: `consumer "${consumer.name}" is defined twice` });
    consumerNames.add(consumer.name);
    const stream = streamsByName.get(consumer.stream);
    if (!stream) {
      issues.push({ path: `${at}.stream`, message: `no stream named "${consumer.stream}"` });
      return;
    }
    consumer.filterSubjects.forEach((filter, j) => {
      if (!stream.subjects.some((subject) => subjectCovers(subject, filter))) {
        issues.push({ path: `${at}.filterSubjects[${j}]`, message: `"${filter}" is outside stream "${stream.name}" (${stream.subjects.join(', ')})` });
      }
    });
  });
  return issues;
}

/** True when every subject matching `filter` also matches `pattern` (NATS wildcard rules). */
export function subjectCovers(pattern: string, filter: string): boolean {
  const p = pattern.split('.');
  const f = filter.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return f.length > i;
    if (i >= f.length || f[i] === '>') return false;
    if (p[i] !== '*' && p[i] !== f[i]) return false;
  }
  return p.length === f.length;
}

export function findConsumerDefinition(definitions: MessagingDefinitions, name: string): ConsumerDefinition {
  const found = definitions.consumers.find((c) => c.name === name);
  if (!found) {
    throw new Error(`consumer "${name}" is not defined in consumers.json (known: ${definitions.consumers.map((c) => c.name).join(', ') || 'none'})`);
  }
  return found;
}
