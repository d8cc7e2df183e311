import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

/** A listening loopback server that counts the TCP connections it accepted. */
export interface TestHttpServer {
  host: string;
  port: number;
  /** `http://host:port` (IPv6 hosts in brackets). */
  origin: string;
  connections: number;
  requests: { method: string; url: string; headers: IncomingMessage['headers'] }[];
  /** For HTTPS: the SNI name of each TLS connection (false or null when the client sent none). */
  servernames: (string | false | null)[];
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** A certificate and key: the server speaks HTTPS. */
export interface TestTls {
  cert: string;
  key: string;
}

export async function startHttpServer(handler: Handler, host = '127.0.0.1', tls?: TestTls): Promise<TestHttpServer> {
  const sockets = new Set<Socket>();
  const state = { connections: 0, requests: [] as TestHttpServer['requests'], servernames: [] as (string | false | null)[] };
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    state.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    });
  };
  const server: HttpServer = tls ? createHttpsServer(tls, listener) : createServer(listener);
  server.on('secureConnection', (socket: TLSSocket) => state.servernames.push(socket.servername));
  server.on('connection', (socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    host,
    port: actual,
    origin: `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${actual}`,
    get servernames() {
      return state.servernames;
    },
    get connections() {
      return state.connections;
    },
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface McpTestServer extends TestHttpServer {
  /** `/mcp` for Streamable HTTP, `/sse` for SSE. */
  url: string;
  /** Session ids the client ended with DELETE (Streamable HTTP only). */
  terminated: string[];
}

/** A stateful Streamable HTTP MCP endpoint at `/mcp`, one fresh SDK server per session. */
export async function startStreamableHttpServer(makeServer: () => McpServer | Server, host = '127.0.0.1', tls?: TestTls): Promise<McpTestServer> {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const terminated: string[] = [];
  const http = await startHttpServer(async (req, res) => {
    if (!req.url?.startsWith('/mcp')) {
      res.writeHead(404).end();
      return;
    }
    const sessionId = req.headers['mcp-session-id'];
    const existing = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (existing) {
      await existing.handleRequest(req, res);
      return;
    }
    if (req.method !== 'POST' || sessionId !== undefined) {
      res.writeHead(sessionId === undefined ? 405 : 404).end();
      return;
    }
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => void sessions.set(id, transport),
      onsessionclosed: (id) => {
        sessions.delete(id);
        terminated.push(id);
      },
    });
    await makeServer().connect(transport);
    await transport.handleRequest(req, res);
  }, host, tls);
  return Object.assign(http, { url: `${http.origin}/mcp`, terminated });
}

/** A legacy HTTP+SSE MCP endpoint: GET `/sse` opens the stream, POST `/messages?sessionId=` carries requests. */
export async function startSseServer(makeServer: () => McpServer | Server, host = '127.0.0.1'): Promise<McpTestServer> {
  const sessions = new Map<string, SSEServerTransport>();
  const http = await startHttpServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/sse') {
      const transport = new SSEServerTransport('/messages', res);
      sessions.set(transport.sessionId, transport);
      res.on('close', () => sessions.delete(transport.sessionId));
      await makeServer().connect(transport);
      return;
    }
    const transport = sessions.get(url.searchParams.get('sessionId') ?? '');
    if (req.method === 'POST' && url.pathname === '/messages' && transport) {
      await transport.handlePostMessage(req, res);
      return;
    }
    res.writeHead(404).end();
  }, host);
  return Object.assign(http, { url: `${http.origin}/sse`, terminated: [] });
}
