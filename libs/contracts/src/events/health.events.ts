import { Type } from '@sinclair/typebox';
import { defineEvent } from '../event-registry';

export const HEALTH_STATUSES = ['healthy', 'degraded', 'down', 'blocked', 'unprobeable'] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];
export const HealthStatusSchema = Type.Union(HEALTH_STATUSES.map((s) => Type.Literal(s)));

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
    },
    { additionalProperties: false },
  ),
});
