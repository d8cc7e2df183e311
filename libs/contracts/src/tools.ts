import { Type, type Static } from '@sinclair/typebox';

/**
 * An MCP `Tool` as a server declares it (MCP spec, `tools/list` result): what a version may list
 * in `_meta["io.toolport/tools"]`, what the scanner hashes and the health service compares.
 */
export const McpToolSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128 }),
    title: Type.Optional(Type.String({ maxLength: 256 })),
    description: Type.Optional(Type.String({ maxLength: 10_000 })),
    inputSchema: Type.Object({ type: Type.Literal('object') }, { additionalProperties: true }),
    outputSchema: Type.Optional(Type.Object({ type: Type.Literal('object') }, { additionalProperties: true })),
    annotations: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: true },
);
export type McpTool = Static<typeof McpToolSchema>;

/** The `_meta` key under which a server.json declares its tools. */
export const TOOLS_META_KEY = 'io.toolport/tools';

export const ToolChangeKindSchema = Type.Union([
  Type.Literal('tool-removed'),
  Type.Literal('tool-renamed'),
  Type.Literal('required-parameter-added'),
  Type.Literal('parameter-removed'),
  Type.Literal('parameter-type-changed'),
  Type.Literal('enum-narrowed'),
  Type.Literal('output-schema-narrowed'),
  Type.Literal('tool-added'),
  Type.Literal('optional-parameter-added'),
  Type.Literal('parameter-became-optional'),
  Type.Literal('enum-widened'),
  Type.Literal('description-changed'),
  /** An input `type` accepts more than before (`string` -> `["string", "null"]`): compatible. */
  Type.Literal('parameter-type-widened'),
  /** The output promises more (a property added or now required, an output enum lost values): compatible. */
  Type.Literal('output-schema-extended'),
  /** A change the diff does not analyse (`$ref`, `anyOf`, `minimum`...): a note asking for a human look. */
  Type.Literal('unanalysed-change'),
]);
export type ToolChangeKind = Static<typeof ToolChangeKindSchema>;

export const ToolChangeSchema = Type.Object(
  {
    kind: ToolChangeKindSchema,
    /** `breaking` can break a caller; `compatible` adds; `note` changes nothing a caller relies on. */
    impact: Type.Union([Type.Literal('breaking'), Type.Literal('compatible'), Type.Literal('note')]),
    tool: Type.String(),
    /** JSON-path-like location inside the tool (`inputSchema.properties.branch`), when relevant. */
    path: Type.Optional(Type.String()),
    detail: Type.String(),
  },
  { additionalProperties: false },
);
export type ToolChange = Static<typeof ToolChangeSchema>;

/** How a version's tools compare with those of the highest earlier semver version. */
export const CompatibilityReportSchema = Type.Object(
  {
    /** The version compared against; null when there is none (first version, or non-semver). */
    baseVersion: Type.Union([Type.String(), Type.Null()]),
    /** The semver bump from baseVersion: major, minor, patch, prerelease, or none when not comparable. */
    bump: Type.Union([Type.Literal('major'), Type.Literal('minor'), Type.Literal('patch'), Type.Literal('prerelease'), Type.Literal('none')]),
    changes: Type.Array(ToolChangeSchema),
    breaking: Type.Boolean(),
    /** The namespace policy in force when the version was published. */
    policy: Type.Union([Type.Literal('enforce'), Type.Literal('warn'), Type.Literal('off')]),
  },
  { additionalProperties: false },
);
export type CompatibilityReport = Static<typeof CompatibilityReportSchema>;
