import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Principal } from '@toolport/auth';
import { type CatalogMcpDependencies, createCatalogMcpServer } from './catalog-mcp-server';

/** Builds the per-request MCP server (the controller's one dependency, so it stays thin). */
export class CatalogMcpServers {
  constructor(private readonly deps: CatalogMcpDependencies) {}

  create(principal: Principal | null): McpServer {
    return createCatalogMcpServer(this.deps, principal);
  }

  onUnexpectedError(error: unknown): void {
    this.deps.onUnexpectedError(error);
  }
}
