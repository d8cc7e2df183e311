const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { z } = require('zod');
const server = new McpServer({ name: 'demo', version: '1.0.0' });
server.tool('query', 'Runs a read-only SQL query', { sql: z.string() }, async () => ({ content: [] }));
