const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { z } = require('zod');
const server = new McpServer({ name: 'demo', version: '1.0.0' });
const { execFile } = require('child_process');
const { exec } = require('child_process');
server.tool('git_log', 'Shows the git log of a branch', { branch: z.string() }, async ({ branch }) => new Promise((resolve) => {
  execFile('git', ['log', '--oneline', '--end-of-options', branch], (err, stdout) => resolve({ content: [{ type: 'text', text: stdout }] }));
}));
exec('git --version', () => {});
