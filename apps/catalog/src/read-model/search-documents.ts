import type { McpTool } from '@toolport/contracts';
import type { ServerDocument, ToolDocument } from '../search/search-index';
import type { CatalogEntry } from './catalog-entry.query';

const PUBLISHER_PROVIDED = 'io.modelcontextprotocol.registry/publisher-provided';

interface ServerJsonShape {
  title?: unknown;
  description?: unknown;
  packages?: Array<{ registryType?: unknown; identifier?: unknown; transport?: { type?: unknown } }>;
  remotes?: Array<{ type?: unknown }>;
  _meta?: Record<string, unknown>;
}

const strings = (values: readonly unknown[]): string[] => [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length > 0))];
const arrayOf = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

export const serverDocumentId = (serverName: string, version: string): string => `${serverName}@${version}`;
export const toolDocumentId = (serverName: string, version: string, toolName: string): string => `${serverName}@${version}#${toolName}`;
export const namespaceOf = (serverName: string): string => serverName.slice(0, Math.max(0, serverName.indexOf('/')));

/**
 * Keywords: server.json has no such field; publishers may put `keywords` or `tags` arrays in
 * their publisher-provided `_meta` (the one `_meta` key the official registry keeps).
 */
function keywordsOf(server: ServerJsonShape): string[] {
  const provided = server._meta?.[PUBLISHER_PROVIDED];
  if (typeof provided !== 'object' || provided === null) return [];
  const meta = provided as Record<string, unknown>;
  return strings([...arrayOf(meta['keywords']), ...arrayOf(meta['tags'])]);
}

function distribution(server: ServerJsonShape): { packageIdentifiers: string[]; registryTypes: string[]; transports: string[] } {
  const packages = arrayOf<NonNullable<ServerJsonShape['packages']>[number]>(server.packages);
  const remotes = arrayOf<NonNullable<ServerJsonShape['remotes']>[number]>(server.remotes);
  return {
    packageIdentifiers: strings(packages.map((p) => p?.identifier)),
    registryTypes: strings(packages.map((p) => p?.registryType)),
    transports: strings([...packages.map((p) => p?.transport?.type), ...remotes.map((r) => r?.type)]),
  };
}

/** A version as the search engines index it (read model -> SearchIndex). */
export function toServerDocument(entry: CatalogEntry): ServerDocument {
  const server = JSON.parse(entry.serverJson) as ServerJsonShape;
  const { packageIdentifiers, registryTypes, transports } = distribution(server);
  return {
    id: serverDocumentId(entry.serverName, entry.version),
    serverName: entry.serverName,
    namespace: namespaceOf(entry.serverName),
    version: entry.version,
    title: typeof server.title === 'string' ? server.title : null,
    description: typeof server.description === 'string' ? server.description : '',
    keywords: keywordsOf(server),
    toolNames: entry.tools.map((t) => t.name),
    toolDescriptions: strings(entry.tools.map((t) => t.description)),
    packageIdentifiers,
    registryTypes,
    transports,
    trustLevel: entry.security?.trustLevel ?? null,
    score: entry.security?.score ?? null,
    approved: entry.security?.approval === 'approved',
    health: entry.health?.status ?? null,
    status: entry.status,
    isLatest: entry.isLatest,
    publishedAt: entry.publishedAt,
    updatedAt: entry.updatedAt,
  };
}

function parameterNames(tool: McpTool): string[] {
  const properties = (tool.inputSchema as { properties?: unknown }).properties;
  return typeof properties === 'object' && properties !== null && !Array.isArray(properties) ? Object.keys(properties) : [];
}

/** The version's tools as the search engines index them, one document per tool. */
export function toToolDocuments(entry: CatalogEntry): ToolDocument[] {
  if (entry.tools.length === 0) return [];
  const { registryTypes, transports } = distribution(JSON.parse(entry.serverJson) as ServerJsonShape);
  const common = {
    serverName: entry.serverName,
    namespace: namespaceOf(entry.serverName),
    version: entry.version,
    registryTypes,
    transports,
    trustLevel: entry.security?.trustLevel ?? null,
    approved: entry.security?.approval === 'approved',
    health: entry.health?.status ?? null,
    status: entry.status,
    isLatest: entry.isLatest,
  };
  return entry.tools.map((tool) => ({
    ...common,
    id: toolDocumentId(entry.serverName, entry.version, tool.name),
    toolName: tool.name,
    title: tool.title ?? null,
    description: tool.description ?? '',
    parameterNames: parameterNames(tool),
  }));
}
