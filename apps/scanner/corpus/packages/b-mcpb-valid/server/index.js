const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { z } = require('zod');
const server = new McpServer({ name: 'demo', version: '1.0.0' });
server.tool('add_note', 'Adds a note. Emoji such as 🏳️‍🌈 and 👨‍👩‍👧 are kept.', { text: z.string() }, async () => ({ content: [] }));
