import { type Static, Type } from '@sinclair/typebox';
import { defineEvent } from '../event-registry';

export const HEALTH_STATUSES = ['healthy', 'degraded', 'down', 'blocked', 'unprobeable'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];
export const HealthStatusSchema = Type.Union(HEALTH_STATUSES.map((s) => Type.Literal(s)));

/**
 * One tool that differs from the baseline. `before`/`after`: for a single changed field its text
 * (a description verbatim, a schema or annotations as canonical JSON); for several fields, the
 * canonical JSON of an object of those fields; for an added or removed tool, the canonical JSON
 * of its hashed part. Each text is cut at 4,000 characters (ending in "…").
 */
export const ToolDriftEntrySchema = Type.Object(
  {
    name: Type.String(),
    change: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('changed')]),
    fields: Type.Array(Type.Union([Type.Literal('description'), Type.Literal('inputSchema'), Type.Literal('outputSchema'), Type.Literal('annotations')])),
    before: Type.Union([Type.String({ maxLength: 4000 }), Type.Null()]),
    after: Type.Union([Type.String({ maxLength: 4000 }), Type.Null()]),
  },
  { additionalProperties: false },
);
export type ToolDriftEntry = Static<typeof ToolDriftEntrySchema>;

/** A remote endpoint's status changed (with hysteresis: not on every probe). */
export const HealthStatusChanged = defineEvent({
  service: 'health',
  aggregate: 'endpoint',
  type: 'HealthStatusChanged',
  schema: Type.Object(
    {
      serverName: Type.String({ minLength: 3, maxLength: 200 }),
      version: Type.String({ minLength: 1, maxLength: 255 }),
      remoteUrl: Type.String(),
      previousStatus: Type.Union([HealthStatusSchema, Type.Null()]),
      status: HealthStatusSchema,
      reason: Type.String({ maxLength: 1000 }),
      latencyMs: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
      checkedAt: Type.String({ format: 'date-time' }),
      /** Total latency of the probes that led to the change, newest first (null: the probe failed). */
      recentLatenciesMs: Type.Optional(Type.Array(Type.Union([Type.Number({ minimum: 0 }), Type.Null()]), { maxItems: 20 })),
    },
    { additionalProperties: false },
  ),
});

/** A live server lists tools other than the ones a reviewer approved (a "rug pull"). */
export const ToolDriftDetected = defineEvent({
  service: 'health',
  aggregate: 'endpoint',
  type: 'ToolDriftDetected',
  schema: Type.Object(
    {
      serverName: Type.String({ minLength: 3, maxLength: 200 }),
      version: Type.String({ minLength: 1, maxLength: 255 }),
      remoteUrl: Type.String(),
      approvedToolListHash: Type.String({ pattern: '^[a-f0-9]{64}$' }),
      observedToolListHash: Type.String({ pattern: '^[a-f0-9]{64}$' }),
      added: Type.Array(Type.String()),
      removed: Type.Array(Type.String()),
      changed: Type.Array(Type.String()),
      detectedAt: Type.String({ format: 'date-time' }),
      /** What the live list was compared with: the approved tool hashes, or (before approval) the declared tools. */
      baseline: Type.Optional(Type.Union([Type.Literal('approved'), Type.Literal('declared')])),
      /** Per tool, what changed with before/after text (null: absent, or not known for an approved hash). */
      tools: Type.Optional(Type.Array(ToolDriftEntrySchema, { maxItems: 500 })),
    },
    { additionalProperties: false },
  ),
});
