import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { Controller, Delete, Get, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Public } from '@toolport/auth';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CatalogMcpServers } from './catalog-mcp-servers';

/** JSON-RPC error bodies for answers given outside the MCP transport. */
const rpcError = (code: number, message: string) => JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });

/**
 * `/mcp`: the catalog as an MCP server over Streamable HTTP, stateless (the SDK's stateless
 * pattern): every POST gets its own McpServer and transport, so nothing is kept between requests
 * and any replica can answer. Public like the read API: without a token the caller sees what
 * anonymous callers see; a token that is sent is verified by the auth guard and its visibility applies.
 */
@ApiTags('mcp')
@Public()
@Controller('mcp')
export class McpController {
  constructor(@Inject(CatalogMcpServers) private readonly servers: CatalogMcpServers) {}

  @Post()
  @ApiOperation({ summary: 'MCP Streamable HTTP endpoint (JSON-RPC): tools search_servers, search_tools, get_server, resolve_version' })
  async handle(@Req() request: FastifyRequest, @Res() reply: FastifyReply, @CurrentPrincipal() principal: Principal | null): Promise<void> {
    // The transport writes the Node response itself; Fastify must not send one too.
    reply.hijack();
    // Headers Fastify's hooks set (CORS) would be lost with the hijacked reply.
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
    const server = this.servers.create(principal);
    // One answer per request: plain JSON instead of an SSE stream (the tools send no progress).
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    reply.raw.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(request.raw, reply.raw, request.body);
    } catch (error) {
      this.servers.onUnexpectedError(error);
      if (!reply.raw.headersSent) reply.raw.writeHead(500, { 'content-type': 'application/json' }).end(rpcError(-32603, 'Internal server error'));
    }
  }

  // A stateless server has no stream to open (GET) and no session to end (DELETE).
  @Get()
  @ApiExcludeEndpoint()
  get(@Res() reply: FastifyReply): void {
    this.methodNotAllowed(reply);
  }

  @Delete()
  @ApiExcludeEndpoint()
  delete(@Res() reply: FastifyReply): void {
    this.methodNotAllowed(reply);
  }

  private methodNotAllowed(reply: FastifyReply): void {
    void reply.code(405).header('allow', 'POST').header('content-type', 'application/json').send(rpcError(-32000, 'Method not allowed: this MCP server is stateless, use POST.'));
  }
}
