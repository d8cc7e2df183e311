/**
 * TypeScript shape of an official `server.json` document, written by hand to follow
 * `server.schema.2025-12-11.json` (one type per schema definition, same names, same optionality).
 * The schema never sets `additionalProperties: false`, so a valid document may carry fields these
 * types do not list; constraints a type cannot express (patterns, lengths, formats) are noted on
 * the field and enforced by `validateServerJsonSchema`. Rules beyond the schema (allowed
 * registry types, https-only remotes, namespace ownership...) are the publisher's semantic checks.
 */

/** `_meta` key under which publishers may put their own data (the only `_meta` key the registry keeps). */
export const PUBLISHER_PROVIDED_META_KEY = 'io.modelcontextprotocol.registry/publisher-provided';

/** Root of a server.json document (schema definition `ServerDetail`). */
export interface ServerDetail {
  /** URI of the server.json schema the document follows (format uri). */
  $schema?: string;
  /** Reverse-DNS name with exactly one `/`: 3–200 chars, pattern `^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$`. */
  name: string;
  /** 1–100 chars. */
  description: string;
  /** Max 255 chars; SHOULD be semver. */
  version: string;
  /** 1–100 chars. */
  title?: string;
  /** format uri. */
  websiteUrl?: string;
  repository?: Repository;
  icons?: Icon[];
  packages?: Package[];
  remotes?: RemoteTransport[];
  _meta?: ServerMeta;
}

/** The official Go model calls the document `ServerJSON`; same thing as `ServerDetail`. */
export type ServerJSON = ServerDetail;

/** Extension metadata with reverse-DNS keys. */
export interface ServerMeta {
  [PUBLISHER_PROVIDED_META_KEY]?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Repository {
  /** format uri. */
  url: string;
  /** Hosting service, e.g. `github` (the schema accepts any string). */
  source: string;
  /** Stable id from the forge (for example GitHub's repository id). */
  id?: string;
  /** Relative path of the server inside a monorepo. */
  subfolder?: string;
}

export type IconMimeType = 'image/png' | 'image/jpeg' | 'image/jpg' | 'image/svg+xml' | 'image/webp';

export interface Icon {
  /** format uri, max 255 chars (https by the spec's prose). */
  src: string;
  mimeType?: IconMimeType;
  /** Each `WxH` or `any` (pattern `^(\d+x\d+|any)$`). */
  sizes?: string[];
  theme?: 'light' | 'dark';
}

export type InputFormat = 'string' | 'number' | 'boolean' | 'filepath';

/** A value the user or the publisher supplies (schema definition `Input`). */
export interface Input {
  description?: string;
  /** Defaults to false. */
  isRequired?: boolean;
  /** Defaults to `string`. */
  format?: InputFormat;
  /** Fixed value; `{curly_braces}` identifiers are replaced from `variables`. */
  value?: string;
  /** Defaults to false. */
  isSecret?: boolean;
  default?: string;
  placeholder?: string;
  choices?: string[];
}

export interface InputWithVariables extends Input {
  variables?: Record<string, Input>;
}

/** A header or an environment variable. */
export interface KeyValueInput extends InputWithVariables {
  name: string;
}

/** A value inserted verbatim into the command line; the schema requires `valueHint` or `value`. */
export type PositionalArgument = InputWithVariables & {
  type: 'positional';
  valueHint?: string;
  isRepeated?: boolean;
} & ({ valueHint: string } | { value: string });

/** A command-line `--flag={value}`. */
export type NamedArgument = InputWithVariables & {
  type: 'named';
  /** The flag, including its leading dashes. */
  name: string;
  isRepeated?: boolean;
};

export type Argument = PositionalArgument | NamedArgument;

export interface StdioTransport {
  type: 'stdio';
}

export interface StreamableHttpTransport {
  type: 'streamable-http';
  /** URL template, pattern `^https?://[^\s]+$`; `{vars}` refer to arguments, env vars or remote variables. */
  url: string;
  headers?: KeyValueInput[];
}

export interface SseTransport {
  type: 'sse';
  /** URL template, pattern `^https?://[^\s]+$`. */
  url: string;
  headers?: KeyValueInput[];
}

/** Transport of a package run locally. */
export type LocalTransport = StdioTransport | StreamableHttpTransport | SseTransport;

/** A remote endpoint (an entry of `remotes`): an HTTP transport plus its URL template variables. */
export type RemoteTransport = (StreamableHttpTransport | SseTransport) & {
  variables?: Record<string, Input>;
};

export interface Package {
  /** How to fetch the package, e.g. `npm`, `pypi`, `nuget`, `oci`, `mcpb` (the schema accepts any string). */
  registryType: string;
  /** format uri. */
  registryBaseUrl?: string;
  /** A package name, or a download URL for `mcpb`. */
  identifier: string;
  /** A specific version: min 1 char, never `latest`. */
  version?: string;
  /** Lowercase hex SHA-256 (`^[a-f0-9]{64}$`). */
  fileSha256?: string;
  /** e.g. `npx`, `uvx`, `docker`, `dnx`. */
  runtimeHint?: string;
  transport: LocalTransport;
  runtimeArguments?: Argument[];
  packageArguments?: Argument[];
  environmentVariables?: KeyValueInput[];
}
