import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { McpTool } from '@toolport/contracts';

/** What one endpoint (path) serves: its tools, and a delay before every answer (a slow server). */
export interface EndpointBehaviour {
  tools: McpTool[];
  delayMs?: number;
}

/**
 * One loopback HTTP server exposing many MCP endpoints (one per path), each a stateless
 * Streamable HTTP server built with the official SDK (a fresh SDK Server per request, JSON
 * responses). Endpoints change behaviour at run time; `stop()`/`start()` kill and restart the
 * whole process's listener on the same port.
 */
export class McpEndpointHost {
  private readonly endpoints = new Map<string, EndpointBehaviour>();
  private readonly sockets = new Set<Socket>();
  private server: HttpServer | undefined;
  port = 0;
  requests = 0;
  /** HTTP requests received per path (a probe is a fixed number of them). */
  readonly requestsByPath = new Map<string, number>();

  static async start(port = 0): Promise<McpEndpointHost> {
    const host = new McpEndpointHost();
    await host.listen(port);
    return host;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  set(path: string, behaviour: EndpointBehaviour): void {
    this.endpoints.set(path, behaviour);
  }

  get(path: string): EndpointBehaviour | undefined {
    return this.endpoints.get(path);
  }

  async listen(port = this.port): Promise<void> {
    const server = createServer((req, res) => {
      this.requests++;
      const path = (req.url ?? '').split('?')[0]!;
      this.requestsByPath.set(path, (this.requestsByPath.get(path) ?? 0) + 1);
      const behaviour = this.endpoints.get(path);
      if (!behaviour) {
        res.writeHead(404).end();
        return;
      }
      void (async () => {
        if (behaviour.delayMs) await new Promise((r) => setTimeout(r, behaviour.delayMs));
        const mcp = new Server({ name: 'health-fixture', version: '1.0.0' }, { capabilities: { tools: {} } });
        mcp.setRequestHandler(ListToolsRequestSchema, () => ({ tools: behaviour.tools as never }));
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        res.on('close', () => void transport.close().then(() => mcp.close()));
        await mcp.connect(transport);
        await transport.handleRequest(req, res);
      })().catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500).end(String(error));
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Closes the listener and every open connection: probes now fail to connect. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
