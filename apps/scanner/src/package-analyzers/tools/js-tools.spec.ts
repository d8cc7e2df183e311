import { collectPackageConstants, extractJsTools } from './js-tools';

describe('JS/TS tool extraction', () => {
  it('reads server.tool(name, description, zodShape, handler)', () => {
    const src = `import { z } from 'zod';\nconst server = new McpServer({ name: 'x', version: '1' });\nserver.tool('search', 'Search the ' + 'web', { query: z.string().describe('What to look for'), limit: z.number().optional() }, async () => ({ content: [] }));`;
    const [t] = extractJsTools('src/index.ts', src);
    expect(t).toEqual({
      path: 'src/index.ts',
      line: 3,
      literalDescription: true,
      tool: {
        name: 'search',
        description: 'Search the web',
        inputSchema: { type: 'object', properties: { query: { type: 'string', description: 'What to look for' }, limit: { type: 'number' } }, required: ['query'] },
      },
    });
  });

  it('reads registerTool with a config object, constants and annotations', () => {
    const src = `const DESC = \`Reads a file\`;\nserver.registerTool("read_file", { title: "Read file", description: DESC, inputSchema: { path: z.string() }, annotations: { readOnlyHint: true } }, handler);`;
    expect(extractJsTools('dist/index.js', src).map((t) => t.tool)).toEqual([
      { name: 'read_file', title: 'Read file', description: 'Reads a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] }, annotations: { readOnlyHint: true } },
    ]);
  });

  it('reads a literal tools array returned by the ListTools handler, including referenced constants', () => {
    const src = `const ECHO = { name: 'echo', description: 'Echoes', inputSchema: { type: 'object', properties: { message: { type: 'string', description: 'Text' } } } };\nserver.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [ECHO, { name: 'add', description: \`Adds \${n}\`, inputSchema: zodToJsonSchema(S) }] }));`;
    const tools = extractJsTools('index.js', src);
    expect(tools.map((t) => [t.tool.name, t.tool.description, t.literalDescription, t.tool.inputSchema])).toEqual([
      ['echo', 'Echoes', true, { type: 'object', properties: { message: { type: 'string', description: 'Text' } } }],
      ['add', undefined, false, { type: 'object' }],
    ]);
  });

  it('skips files without registrations and names built at run time', () => {
    expect(extractJsTools('a.js', 'const x = 1;')).toEqual([]);
    expect(extractJsTools('a.js', 'server.tool(prefix + "x", "d", {}, h);')).toEqual([]);
  });
});

describe('JS/TS tool extraction across modules and frameworks', () => {
  it('resolves tool names exported as constants by another module', () => {
    const constants = collectPackageConstants([{ text: 'export const RESOLVE_TOOL = "resolve-library-id";\nexport const DUP = "a";' }, { text: 'export const DUP = "b";' }]);
    expect([...constants]).toEqual([['RESOLVE_TOOL', 'resolve-library-id']]);
    const src = `import { RESOLVE_TOOL } from './names.js';\nserver.registerTool(RESOLVE_TOOL, { description: 'Resolves a library' }, h);`;
    expect(extractJsTools('dist/index.js', src, constants).map((t) => t.tool.name)).toEqual(['resolve-library-id']);
  });

  it('reads FastMCP-TS addTool({ name, description, parameters })', () => {
    const src = `server.addTool({ name: 'scrape', description: 'Scrapes a page', parameters: z.object({ url: z.string().url().describe('Page') }), execute: async () => '' });`;
    expect(extractJsTools('dist/index.js', src).map((t) => t.tool)).toEqual([
      { name: 'scrape', description: 'Scrapes a page', inputSchema: { type: 'object', properties: { url: { type: 'string', description: 'Page' } }, required: ['url'] } },
    ]);
  });

  it('reads tool definition objects kept outside the ListTools handler, once each', () => {
    const src = `export const kubectlGet = { name: 'kubectl_get', description: 'Gets resources', inputSchema: { type: 'object', properties: { kind: { type: 'string' } } } };\nserver.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [kubectlGet] }));`;
    expect(extractJsTools('dist/tools/get.js', src).map((t) => `${t.tool.name}:${t.line}`)).toEqual(['kubectl_get:1']);
  });
});
