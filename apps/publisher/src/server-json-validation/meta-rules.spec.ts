import { goJsonByteLength, MAX_DECLARED_TOOLS, PUBLISHER_PROVIDED_MAX_BYTES } from './meta-rules';
import { semanticIssues } from './semantic-rules';

// One row per _meta rule: the official publisher-provided limit, Toolport's declared tools, and
// the linter note for keys that are dropped.
const PROVIDED = 'io.modelcontextprotocol.registry/publisher-provided';
const TOOLS = 'io.toolport/tools';
const tool = (name: string, extra: Record<string, unknown> = {}) => ({ name, inputSchema: { type: 'object', properties: {} }, ...extra });

const issuesOf = (meta: Record<string, unknown>) =>
  semanticIssues({ name: 'com.example/server', description: 'd', version: '1.0.0', _meta: meta }).map((issue) => [
    issue.type,
    issue.severity,
    issue.path,
    issue.reference,
    issue.message,
  ]);

/** A publisher-provided object whose JSON is exactly `bytes` long, padded with `filler`. */
function provided(bytes: number, filler: string, fillerBytes: number): Record<string, unknown> {
  const overhead = goJsonByteLength({ pad: '' });
  return { pad: filler.repeat((bytes - overhead) / fillerBytes) };
}

describe('publisher-provided size (publisher-provided-meta-too-large)', () => {
  it('accepts exactly 4096 bytes', () => {
    const meta = { [PROVIDED]: provided(PUBLISHER_PROVIDED_MAX_BYTES, 'a', 1) };
    expect(goJsonByteLength(meta[PROVIDED])).toBe(4096);
    expect(issuesOf(meta)).toEqual([]);
  });
  it('refuses 4097 bytes', () => {
    const meta = { [PROVIDED]: { ...provided(PUBLISHER_PROVIDED_MAX_BYTES, 'a', 1), b: undefined, c: 0 } };
    const bytes = goJsonByteLength(meta[PROVIDED]);
    expect(bytes).toBeGreaterThan(4096);
    expect(issuesOf(meta)).toEqual([
      ['semantic', 'error', `_meta.${PROVIDED}`, 'publisher-provided-meta-too-large', `_meta.${PROVIDED} extension exceeds 4KB limit (${bytes} bytes)`],
    ]);
  });
  it('counts as Go writes JSON: <, > and & take six bytes each', () => {
    expect(goJsonByteLength({ html: '<b>&' })).toBe(JSON.stringify({ html: '<b>&' }).length + 15);
    expect(goJsonByteLength('\u2028')).toBe(8);
    expect(issuesOf({ [PROVIDED]: provided(PUBLISHER_PROVIDED_MAX_BYTES + 6 * 5, '<', 6) })).toHaveLength(1);
  });
});

describe('declared tools (io.toolport/tools)', () => {
  it('accepts a list of MCP tools', () => {
    expect(issuesOf({ [TOOLS]: [tool('search'), tool('fetch', { title: 'Fetch', annotations: { readOnlyHint: true } })] })).toEqual([]);
  });
  it('refuses anything but an array (toolport-tools-not-array)', () => {
    expect(issuesOf({ [TOOLS]: { search: {} } })).toEqual([
      ['semantic', 'error', `_meta.${TOOLS}`, 'toolport-tools-not-array', `_meta.${TOOLS} must be an array of MCP tools, as a tools/list result lists them`],
    ]);
  });
  it('refuses a tool that is not an MCP tool (toolport-tool-invalid)', () => {
    expect(issuesOf({ [TOOLS]: [tool('ok'), { name: '', inputSchema: { type: 'string' } }, 'search'] })).toEqual([
      ['semantic', 'error', `_meta.${TOOLS}[1].name`, 'toolport-tool-invalid', 'must NOT have fewer than 1 characters'],
      ['semantic', 'error', `_meta.${TOOLS}[1].inputSchema.type`, 'toolport-tool-invalid', 'must be equal to constant'],
      ['semantic', 'error', `_meta.${TOOLS}[2]`, 'toolport-tool-invalid', 'must be object'],
    ]);
  });
  it('refuses a tool name declared twice (toolport-tool-name-duplicate)', () => {
    expect(issuesOf({ [TOOLS]: [tool('search'), tool('fetch'), tool('search')] })).toEqual([
      ['semantic', 'error', `_meta.${TOOLS}[2].name`, 'toolport-tool-name-duplicate', `tool name 'search' is already declared at _meta.${TOOLS}[0]`],
    ]);
  });
  it(`accepts ${MAX_DECLARED_TOOLS} tools and refuses one more (toolport-tools-too-many)`, () => {
    const tools = Array.from({ length: MAX_DECLARED_TOOLS }, (_, i) => tool(`tool_${i}`));
    expect(issuesOf({ [TOOLS]: tools })).toEqual([]);
    expect(issuesOf({ [TOOLS]: [...tools, tool('one_more')] })).toEqual([
      ['semantic', 'error', `_meta.${TOOLS}`, 'toolport-tools-too-many', `a server may declare at most ${MAX_DECLARED_TOOLS} tools, this one declares ${MAX_DECLARED_TOOLS + 1}`],
    ]);
  });
});

describe('other _meta keys (meta-key-dropped)', () => {
  it('keeps publisher-provided and io.toolport/tools without a word', () => {
    expect(issuesOf({ [PROVIDED]: {}, [TOOLS]: [] })).toEqual([]);
  });
  it('notes every other key as dropped, at info level', () => {
    expect(issuesOf({ 'com.example/build': {}, 'io.modelcontextprotocol.registry/official': { status: 'active' } })).toEqual([
      [
        'linter',
        'info',
        '_meta.com.example/build',
        'meta-key-dropped',
        `_meta key 'com.example/build' is dropped: Toolport keeps only ${PROVIDED} and io.toolport/tools (the official registry drops other keys silently)`,
      ],
      [
        'linter',
        'info',
        '_meta.io.modelcontextprotocol.registry/official',
        'meta-key-dropped',
        "_meta key 'io.modelcontextprotocol.registry/official' is set by the registry in its responses; a value sent by the publisher is dropped",
      ],
    ]);
  });
});
