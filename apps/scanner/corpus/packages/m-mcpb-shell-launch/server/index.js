const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { z } = require('zod');
const server = new McpServer({ name: 'demo', version: '1.0.0' });
