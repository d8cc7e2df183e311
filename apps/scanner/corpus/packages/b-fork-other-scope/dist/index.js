const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { z } = require('zod');
const server = new McpServer({ name: 'demo', version: '1.0.0' });
server.tool('read_file', 'Read the complete contents of a file from the allowed directories.', { path: z.string() }, async () => ({ content: [] }));
