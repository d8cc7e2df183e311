import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Principal } from '@toolport/auth';
import { TRUST_LEVELS } from '@toolport/contracts';
import { z } from 'zod';
import { serverResponseJson } from '../official-api/official-response';
import type { ServersRepository } from '../official-api/servers.repository';
import type { CatalogSearch } from '../search-api/catalog-search';
import { ALL_FACETS, MAX_QUERY_LENGTH, MAX_SEARCH_LIMIT, parseSearchQuery } from '../search-api/search-query';
import { toolError, toolResult } from './mcp-tool-result';

export const CATALOG_MCP_SERVER_NAME = 'toolport-catalog';

export interface CatalogMcpDependencies {
  search: CatalogSearch;
  servers: ServersRepository;
  /** Reported to MCP clients as the server's version. */
  version: string;
  /** A tool failed for a reason that is not the caller's fault (logged; the agent sees a generic 500 problem). */
  onUnexpectedError: (error: unknown) => void;
}

// Every tool only reads the catalog: clients may call them without asking the user first.
const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

// Output schemas name what agents rely on and let the rest through (.passthrough()), so the
// answers can grow without breaking clients that validate structuredContent against them.
const serverHit = z.object({ name: z.string(), version: z.string(), approved: z.boolean(), trustLevel: z.string().nullable() }).passthrough();
const toolHit = z.object({ tool: z.object({ name: z.string() }).passthrough(), server: z.object({ name: z.string(), version: z.string() }).passthrough() }).passthrough();
const page = { total: z.number(), nextCursor: z.string().nullable() };

const cursorInput = z.string().max(2000).optional().describe('The nextCursor of a previous result, to get the next page. Omit for the first page.');
const limitInput = z.number().int().min(1).max(MAX_SEARCH_LIMIT).optional().describe(`How many results (1-${MAX_SEARCH_LIMIT}, default 20).`);

/**
 * The catalog as an MCP server for one caller: the same queries as the HTTP API (CatalogSearch,
 * ServersRepository), with the caller's visibility. Stateless: built per request (mcp.controller.ts),
 * so `principal` is the caller of that request. Every failure is a tool error, never a thrown one.
 */
export function createCatalogMcpServer(deps: CatalogMcpDependencies, principal: Principal | null): McpServer {
  const server = new McpServer(
    { name: CATALOG_MCP_SERVER_NAME, version: deps.version },
    {
      instructions:
        'Toolport catalog: find MCP servers and the tools they offer, read a server version, and pick the version to install. ' +
        'Results include only versions you may use (by default: approved, not deleted); search first, then get_server or resolve_version.',
    },
  );
  const guarded = async (run: () => Promise<unknown>): Promise<CallToolResult> => {
    try {
      return toolResult(await run());
    } catch (error) {
      return toolError(error, deps.onUnexpectedError);
    }
  };

  server.registerTool(
    'search_servers',
    {
      title: 'Search MCP servers',
      description:
        'Full-text search over the MCP servers in this catalog (name, title, description, tool names), typo tolerant. ' +
        'Returns one item per matching server version with its trust level, approval, health, tool names, package registry types and transports, ' +
        'plus facet counts and a nextCursor for more. Use it to find a server for a task; then call get_server for the full server.json ' +
        'or resolve_version to choose the version to install.',
      inputSchema: {
        query: z.string().max(MAX_QUERY_LENGTH).describe('Words describing the server, e.g. "git repositories" or "weather forecast". Empty string lists everything.'),
        registryType: z.string().max(100).optional().describe('Only servers with a package of this registry type, e.g. npm, pypi, oci, nuget, mcpb.'),
        transport: z.string().max(100).optional().describe('Only servers offering this transport, e.g. stdio, streamable-http, sse.'),
        minTrust: z.enum(TRUST_LEVELS).optional().describe('Only versions whose security trust level is at least this (ordered low to high: rejected, needs-review, passed, verified).'),
        limit: limitInput,
        cursor: cursorInput,
      },
      outputSchema: { items: z.array(serverHit), facets: z.record(z.record(z.number())), ...page },
      annotations: READ_ONLY,
    },
    ({ query, registryType, transport, minTrust, limit, cursor }) =>
      guarded(() => deps.search.searchServers(parseSearchQuery({ q: query, registryType, transport, minTrust, limit: limit?.toString(), cursor, facets: ALL_FACETS }), principal)),
  );

  server.registerTool(
    'search_tools',
    {
      title: 'Search tools across MCP servers',
      description:
        'Search individual tools across every server in this catalog by what they do, e.g. "diff two git branches" or "convert currency". ' +
        'Each item is one tool (name, title, description, parameter names) with the server name and version that provides it. ' +
        'Use it when you know the capability you need but not which server has it.',
      inputSchema: {
        query: z.string().max(MAX_QUERY_LENGTH).describe('What the tool should do, in plain words.'),
        limit: limitInput,
        cursor: cursorInput,
      },
      outputSchema: { items: z.array(toolHit), ...page },
      annotations: READ_ONLY,
    },
    ({ query, limit, cursor }) => guarded(() => deps.search.searchTools(parseSearchQuery({ q: query, limit: limit?.toString(), cursor }), principal)),
  );

  server.registerTool(
    'get_server',
    {
      title: 'Get one server version',
      description:
        'The full record of one server version, as the official MCP registry API returns it: `server` is its server.json ' +
        '(packages with install details, remotes with URLs, environment variables) and `_meta` holds status, security verdict and health. ' +
        'Without `version` it returns the version flagged latest; if that one is not available to you the result is a not-found error: ' +
        'call resolve_version with range "*" to find the newest approved version.',
      inputSchema: {
        name: z.string().min(1).max(200).describe('The server name, e.g. io.github.acme/git-tools.'),
        version: z.string().min(1).max(255).optional().describe('An exact version, e.g. 1.2.0 (default: latest).'),
      },
      outputSchema: { server: z.object({ name: z.string(), version: z.string() }).passthrough(), _meta: z.record(z.unknown()) },
      annotations: READ_ONLY,
    },
    ({ name, version }) =>
      guarded(async () => {
        const visibility = deps.search.visibilityOf(principal);
        return JSON.parse(serverResponseJson(await deps.servers.version(name, version ?? 'latest', visibility), visibility)) as unknown;
      }),
  );

  server.registerTool(
    'resolve_version',
    {
      title: 'Resolve a version range',
      description:
        'Pick the version of a server to install: the highest approved version (not deleted; deprecated only when nothing else fits; approved for reviewers too) ' +
        'that satisfies an npm-style semver range such as ^1.2.0, ~1.2, 1.x or *. Pre-releases are chosen only when the range names one. ' +
        'With `from` (the version you run now) it also lists every tool change since then and whether any is breaking. ' +
        'When nothing matches, the error explains why (no such version, or not approved yet).',
      inputSchema: {
        name: z.string().min(1).max(200).describe('The server name, e.g. io.github.acme/git-tools.'),
        range: z.string().min(1).max(256).describe('npm-style semver range, e.g. ^1.2.0.'),
        from: z.string().min(1).max(255).optional().describe('The version currently in use, to report tool changes since it.'),
      },
      outputSchema: {
        serverName: z.string(),
        version: z.string(),
        deprecated: z.boolean(),
        notes: z.array(z.string()),
        changesSinceFrom: z.array(z.record(z.unknown())).nullable(),
        breakingSinceFrom: z.boolean().nullable(),
      },
      annotations: READ_ONLY,
    },
    ({ name, range, from }) => guarded(() => deps.search.resolve(name, range, from, principal)),
  );

  return server;
}
