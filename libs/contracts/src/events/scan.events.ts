import { Type } from '@sinclair/typebox';
import { defineEvent } from '../event-registry';

/** Ordered from worst to best: `minTrust=passed` keeps passed and verified. */
export const TRUST_LEVELS = ['rejected', 'needs-review', 'passed', 'verified'] as const;
export type TrustLevel = (typeof TRUST_LEVELS)[number];
export const TrustLevelSchema = Type.Union(TRUST_LEVELS.map((t) => Type.Literal(t)));

export const SeveritySchema = Type.Union([Type.Literal('critical'), Type.Literal('high'), Type.Literal('medium'), Type.Literal('low'), Type.Literal('info')]);

export const FindingSchema = Type.Object(
  {
    ruleId: Type.String({ minLength: 1 }),
    ruleVersion: Type.String({ minLength: 1 }),
    severity: SeveritySchema,
    confidence: Type.Union([Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')]),
    /** `file:line`, or a tool/field path such as `tools.search.description`. */
    location: Type.String(),
    /** The offending text with invisible characters made visible; never secrets. */
    evidence: Type.String({ maxLength: 2000 }),
    message: Type.String(),
  },
  { additionalProperties: false },
);

/** SHA-256 (hex) of the canonical JSON of one tool, and of the whole sorted list. */
export const ToolHashSchema = Type.Object({ name: Type.String(), hash: Type.String({ pattern: '^[a-f0-9]{64}$' }) }, { additionalProperties: false });

const versionRef = {
  serverName: Type.String({ minLength: 3, maxLength: 200 }),
  version: Type.String({ minLength: 1, maxLength: 255 }),
};

/**
 * Which request of the version's scan stream this is (1, 2, ...), or which request a result
 * finishes (with every earlier one still open). Optional so events written before it existed
 * stay valid: a reader then counts ScanRequested events itself.
 */
const requestNumber = { requestNumber: Type.Optional(Type.Integer({ minimum: 1 })) };

export const ScanRequested = defineEvent({
  service: 'scanner',
  aggregate: 'scan',
  type: 'ScanRequested',
  schema: Type.Object(
    {
      ...versionRef,
      rulesVersion: Type.String(),
      reason: Type.Union([Type.Literal('published'), Type.Literal('rescan'), Type.Literal('rules-changed'), Type.Literal('drift'), Type.Literal('retry')]),
      requestedAt: Type.String({ format: 'date-time' }),
      ...requestNumber,
    },
    { additionalProperties: false },
  ),
});

export const ScanCompleted = defineEvent({
  service: 'scanner',
  aggregate: 'scan',
  type: 'ScanCompleted',
  schema: Type.Object(
    {
      ...versionRef,
      rulesVersion: Type.String(),
      score: Type.Integer({ minimum: 0, maximum: 100 }),
      trustLevel: TrustLevelSchema,
      findings: Type.Array(FindingSchema),
      tools: Type.Array(ToolHashSchema),
      toolListHash: Type.String({ pattern: '^[a-f0-9]{64}$' }),
      completedAt: Type.String({ format: 'date-time' }),
      ...requestNumber,
    },
    { additionalProperties: false },
  ),
});

export const ScanFailed = defineEvent({
  service: 'scanner',
  aggregate: 'scan',
  type: 'ScanFailed',
  schema: Type.Object(
    { ...versionRef, rulesVersion: Type.String(), reason: Type.String(), retryable: Type.Boolean(), failedAt: Type.String({ format: 'date-time' }), ...requestNumber },
    { additionalProperties: false },
  ),
});

export const VersionApproved = defineEvent({
  service: 'scanner',
  aggregate: 'review',
  type: 'VersionApproved',
  schema: Type.Object(
    {
      ...versionRef,
      justification: Type.String({ minLength: 1, maxLength: 2000 }),
      trustLevel: TrustLevelSchema,
      /** The tools as approved: health compares what a live server lists against these. */
      tools: Type.Array(ToolHashSchema),
      toolListHash: Type.String({ pattern: '^[a-f0-9]{64}$' }),
      automatic: Type.Boolean(),
      approvedAt: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
});

export const VersionRejected = defineEvent({
  service: 'scanner',
  aggregate: 'review',
  type: 'VersionRejected',
  schema: Type.Object(
    { ...versionRef, justification: Type.String({ minLength: 1, maxLength: 2000 }), rejectedAt: Type.String({ format: 'date-time' }) },
    { additionalProperties: false },
  ),
});

export const ApprovalRevoked = defineEvent({
  service: 'scanner',
  aggregate: 'review',
  type: 'ApprovalRevoked',
  schema: Type.Object(
    { ...versionRef, justification: Type.String({ minLength: 1, maxLength: 2000 }), revokedAt: Type.String({ format: 'date-time' }) },
    { additionalProperties: false },
  ),
});
