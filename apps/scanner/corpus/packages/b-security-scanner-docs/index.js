const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { z } = require('zod');
const server = new McpServer({ name: 'demo', version: '1.0.0' });
const PATTERNS = [/AKIA[0-9A-Z]{16}/, /gh[pousr]_[A-Za-z0-9]{36}/, /-----BEGIN [A-Z ]*PRIVATE KEY-----/];
server.tool('scan_text', 'Scans text for leaked credentials (AWS keys, GitHub tokens, private keys) and reports where they are. It does not read files.', { text: z.string() }, async ({ text }) => ({ content: [{ type: 'text', text: String(PATTERNS.some((p) => p.test(text))) }] }));
