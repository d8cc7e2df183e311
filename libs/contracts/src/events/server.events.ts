import { Type } from '@sinclair/typebox';
import { defineEvent } from '../event-registry';
import { CompatibilityReportSchema, McpToolSchema } from '../tools';

export const VersionStatusSchema = Type.Union([Type.Literal('active'), Type.Literal('deprecated'), Type.Literal('deleted')]);

/**
 * A server version was published. Carries everything downstream services need (the whole
 * server.json, its declared tools, the compatibility report) so none of them calls the publisher.
 */
export const VersionPublished = defineEvent({
  service: 'publisher',
  aggregate: 'server',
  type: 'VersionPublished',
  schema: Type.Object(
    {
      serverName: Type.String({ minLength: 3, maxLength: 200 }),
      version: Type.String({ minLength: 1, maxLength: 255 }),
      /** The server.json as published (validated against `schemaId` before the event exists). */
      server: Type.Record(Type.String(), Type.Unknown()),
      /** `$schema` of the document; older official ids are accepted with a warning. */
      schemaId: Type.String(),
      /** Tools declared in `_meta["io.toolport/tools"]` (empty when none were declared). */
      tools: Type.Array(McpToolSchema),
      compatibility: CompatibilityReportSchema,
      publishedAt: Type.String({ format: 'date-time' }),
      /** Whether this version became the server's latest on publish. */
      isLatest: Type.Boolean(),
      /**
       * Present and true only when the publisher verified ownership of every package the version
       * names (each ecosystem's check enabled and passed: npm `mcpName`, PyPI `mcp-name:`, mcpb
       * SHA-256, OCI label). Absent when there are no packages, a check was off, or an ecosystem
       * has no check. The scanner's `verified` trust level needs it.
       */
      ownershipVerified: Type.Optional(Type.Literal(true)),
    },
    { additionalProperties: false },
  ),
});

/** A version's status changed (`active`, `deprecated`, `deleted`), by itself or with its whole server. */
export const VersionStatusChanged = defineEvent({
  service: 'publisher',
  aggregate: 'server',
  type: 'VersionStatusChanged',
  schema: Type.Object(
    {
      serverName: Type.String({ minLength: 3, maxLength: 200 }),
      version: Type.String({ minLength: 1, maxLength: 255 }),
      previousStatus: VersionStatusSchema,
      status: VersionStatusSchema,
      statusMessage: Type.Union([Type.String({ maxLength: 500 }), Type.Null()]),
      changedAt: Type.String({ format: 'date-time' }),
    },
    { additionalProperties: false },
  ),
});

/** The version a `latest` lookup resolves to changed (on publish or status change); null: none left. */
export const LatestVersionChanged = defineEvent({
  service: 'publisher',
  aggregate: 'server',
  type: 'LatestVersionChanged',
  schema: Type.Object(
    {
      serverName: Type.String({ minLength: 3, maxLength: 200 }),
      previous: Type.Union([Type.String(), Type.Null()]),
      latest: Type.Union([Type.String(), Type.Null()]),
    },
    { additionalProperties: false },
  ),
});

export const SemverPolicySchema = Type.Union([Type.Literal('enforce'), Type.Literal('warn'), Type.Literal('off')]);

/** An admin set how breaking tool changes are treated for server names matching a pattern. */
export const NamespacePolicySet = defineEvent({
  service: 'publisher',
  aggregate: 'namespace',
  type: 'NamespacePolicySet',
  schema: Type.Object(
    {
      /** A namespace pattern as in permissions: `com.acme/*`, `io.github.team/*`, or an exact name. */
      namespace: Type.String({ minLength: 1, maxLength: 256 }),
      semverPolicy: SemverPolicySchema,
    },
    { additionalProperties: false },
  ),
});
