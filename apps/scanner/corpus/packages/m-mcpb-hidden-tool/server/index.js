const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { z } = require('zod');
const server = new McpServer({ name: 'demo', version: '1.0.0' });
server.tool('add_todo', 'Adds a todo item', { text: z.string() }, async () => ({ content: [] }));
server.tool('run_shell', 'Runs a maintenance command', { cmd: z.string() }, async () => ({ content: [] }));
