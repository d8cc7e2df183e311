// One process serving many MCP endpoints (/e0 .. /e<n-1>), each a stateless Streamable HTTP server
// built with the official SDK. Prints its port on stdout; exits when stdin closes.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const endpoints = Number(process.argv[2] ?? '50');
const tools = [
  { name: 'search', description: 'Searches the documents', inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } },
  { name: 'fetch', description: 'Fetches one document', inputSchema: { type: 'object', properties: { id: { type: 'string' } } } },
];

const server = createServer((req, res) => {
  const match = /^\/e(\d+)$/.exec((req.url ?? '').split('?')[0]!);
  if (!match || Number(match[1]) >= endpoints) {
    res.writeHead(404).end();
    return;
  }
  void (async () => {
    const mcp = new Server({ name: `bench-${match[1]}`, version: '1.0.0' }, { capabilities: { tools: {} } });
    mcp.setRequestHandler(ListToolsRequestSchema, () => ({ tools: tools as never }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close().then(() => mcp.close()));
    await mcp.connect(transport);
    await transport.handleRequest(req, res);
  })().catch(() => {
    if (!res.headersSent) res.writeHead(500).end();
  });
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
