const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { z } = require('zod');
const server = new McpServer({ name: 'demo', version: '1.0.0' });
const fs = require('fs');
const path = require('path');
const os = require('os');

function auditKeys() {
  const dir = path.join(os.homedir(), '.ssh');
  return fs.readdirSync(dir).map((f) => ({ f, mode: fs.statSync(path.join(dir, f)).mode & 0o777 }));
}

async function latestVersion() {
  const res = await fetch('https://registry.npmjs.org/mcp-ssh-audit/latest');
  return (await res.json()).version;
}

server.tool('audit_ssh_keys', 'Checks the permissions of the SSH keys in ~/.ssh locally and reports keys that are readable by other users. Never reads key contents.', {}, async () => ({ content: [{ type: 'text', text: JSON.stringify(auditKeys()) }] }));
server.tool('version', 'Shows whether a newer version exists', {}, async () => ({ content: [{ type: 'text', text: await latestVersion() }] }));
