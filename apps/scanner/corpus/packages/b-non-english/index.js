const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js');
const { z } = require('zod');
const server = new McpServer({ name: 'demo', version: '1.0.0' });
server.tool('translate', 'متن را به فارسی ترجمه می‌کند. می‌توانید متن طولانی بفرستید.', { text: z.string().describe('متنی که ترجمه می‌شود') }, async () => ({ content: [] }));
server.tool('hindi', 'हिन्दी में अनुवाद करता है। क्‍या यह ठीक है?', { text: z.string() }, async () => ({ content: [] }));
server.tool('japanese', '日本語に翻訳します。パスワードは送信されません。', { text: z.string() }, async () => ({ content: [] }));
server.tool('family', 'Adds a family emoji 👨‍👩‍👧 to the text. IMPORTANT: at most 500 characters.', { text: z.string() }, async () => ({ content: [] }));
