import type { McpTool, ToolChange } from '@toolport/contracts';
import { diffTools, IMPACT_OF_KIND } from './tool-diff';

type Schema = Record<string, unknown>;

const tool = (name: string, properties: Schema = {}, extra: Partial<McpTool> & { required?: string[] } = {}): McpTool => {
  const { required, ...rest } = extra;
  return {
    name,
    description: `The ${name} tool`,
    inputSchema: { type: 'object', properties, ...(required ? { required } : {}) },
    ...rest,
  } as McpTool;
};

const output = (properties: Schema, required?: string[]) => ({ type: 'object', properties, ...(required ? { required } : {}) }) as McpTool['outputSchema'];
/** McpTool's static type has only `type` in its schemas (its JSON Schema allows more): literals go through here. */
const asTool = (value: Schema): McpTool => value as McpTool;

/** kind/impact/path of each change, the part the rules decide. */
const summary = (changes: ToolChange[]) => changes.map((c) => ({ kind: c.kind, impact: c.impact, tool: c.tool, ...(c.path ? { path: c.path } : {}) }));

const search = tool('search', { query: { type: 'string', description: 'What to look for' }, limit: { type: 'integer' } }, { required: ['query'] });

describe('diffTools', () => {
  it('finds nothing when the tools are the same, whatever the key order and the order of tools', () => {
    const reordered = asTool({
      inputSchema: { required: ['query'], properties: { limit: { type: 'integer' }, query: { description: 'What to look for', type: 'string' } }, type: 'object' },
      description: 'The search tool',
      name: 'search',
    });
    expect(diffTools([search, tool('fetch')], [tool('fetch'), reordered])).toEqual([]);
    expect(diffTools([], [])).toEqual([]);
  });

  it('tool removed: breaking', () => {
    expect(diffTools([search, tool('fetch')], [search])).toEqual([
      { kind: 'tool-removed', impact: 'breaking', tool: 'fetch', detail: 'tool fetch was removed' },
    ]);
  });

  it('tool added: compatible', () => {
    expect(diffTools([search], [search, tool('fetch')])).toEqual([{ kind: 'tool-added', impact: 'compatible', tool: 'fetch', detail: 'tool fetch was added' }]);
  });

  describe('tool renamed', () => {
    it('identical schemas with at least one property: one breaking tool-renamed instead of removed + added', () => {
      const renamed = { ...search, name: 'find', description: 'Finds things' };
      expect(summary(diffTools([search], [renamed]))).toEqual([
        { kind: 'description-changed', impact: 'note', tool: 'find', path: 'description' },
        { kind: 'tool-renamed', impact: 'breaking', tool: 'search' },
      ]);
      expect(diffTools([search], [renamed]).find((c) => c.kind === 'tool-renamed')!.detail).toMatch(/search was renamed to find/);
    });

    it('same description and same schema apart from documentation', () => {
      const base = tool('ping', {}, { description: 'Checks the server is up' });
      const next = tool('health_check', {}, { description: 'Checks the server is up' });
      expect(summary(diffTools([base], [next]))).toEqual([{ kind: 'tool-renamed', impact: 'breaking', tool: 'ping' }]);
      const documented = { ...search, name: 'find', inputSchema: { ...search.inputSchema, properties: { query: { type: 'string', description: 'Search terms' }, limit: { type: 'integer' } } } };
      expect(summary(diffTools([search], [documented]))).toEqual([
        { kind: 'description-changed', impact: 'note', tool: 'find', path: 'inputSchema.properties.query.description' },
        { kind: 'tool-renamed', impact: 'breaking', tool: 'search' },
      ]);
    });

    it('is not guessed for argument-less tools with different descriptions, nor for look-alike schemas with different documentation', () => {
      expect(summary(diffTools([tool('list_users')], [tool('get_status')]))).toEqual([
        { kind: 'tool-added', impact: 'compatible', tool: 'get_status' },
        { kind: 'tool-removed', impact: 'breaking', tool: 'list_users' },
      ]);
      const read = tool('read_file', { path: { type: 'string', description: 'File to read' } }, { required: ['path'] });
      const stat = tool('stat_file', { path: { type: 'string', description: 'File to inspect' } }, { required: ['path'] });
      expect(summary(diffTools([read], [stat])).map((c) => c.kind)).toEqual(['tool-removed', 'tool-added']);
    });

    it('is not guessed when the pairing is ambiguous', () => {
      const a = tool('a', { x: { type: 'string' } });
      const kinds = diffTools([a], [{ ...a, name: 'b' }, { ...a, name: 'c' }]).map((c) => `${c.kind}:${c.tool}`);
      expect(kinds).toEqual(['tool-removed:a', 'tool-added:b', 'tool-added:c']);
    });
  });

  it('required parameter added: breaking, also when an optional one becomes required', () => {
    const next = tool('search', { query: { type: 'string', description: 'What to look for' }, limit: { type: 'integer' }, index: { type: 'string' } }, { required: ['query', 'index', 'limit'] });
    expect(summary(diffTools([search], [next]))).toEqual([
      { kind: 'required-parameter-added', impact: 'breaking', tool: 'search', path: 'inputSchema.properties.index' },
      { kind: 'required-parameter-added', impact: 'breaking', tool: 'search', path: 'inputSchema.properties.limit' },
    ]);
  });

  it('a name only listed in required is a required parameter too', () => {
    const next = { ...search, inputSchema: { ...search.inputSchema, required: ['query', 'token'] } };
    expect(summary(diffTools([search], [next]))).toEqual([{ kind: 'required-parameter-added', impact: 'breaking', tool: 'search', path: 'inputSchema.properties.token' }]);
  });

  it('parameter removed: breaking, required or optional', () => {
    const next = tool('search', {}, {});
    const changes = diffTools([search], [next]);
    expect(summary(changes)).toEqual([
      { kind: 'parameter-removed', impact: 'breaking', tool: 'search', path: 'inputSchema.properties.limit' },
      { kind: 'parameter-removed', impact: 'breaking', tool: 'search', path: 'inputSchema.properties.query' },
    ]);
    expect(changes.map((c) => c.detail)).toEqual(['optional parameter limit was removed', 'required parameter query was removed']);
  });

  it('optional parameter added and parameter became optional: compatible', () => {
    const next = tool('search', { query: { type: 'string', description: 'What to look for' }, limit: { type: 'integer' }, lang: { type: 'string' } });
    expect(summary(diffTools([search], [next]))).toEqual([
      { kind: 'optional-parameter-added', impact: 'compatible', tool: 'search', path: 'inputSchema.properties.lang' },
      { kind: 'parameter-became-optional', impact: 'compatible', tool: 'search', path: 'inputSchema.properties.query' },
    ]);
  });

  describe('parameter type changed', () => {
    const withLimit = (limit: Schema) => tool('search', { limit });

    it.each([
      ['string to number', { type: 'string' }, { type: 'number' }],
      ['single value to array', { type: 'string' }, { type: 'array', items: { type: 'string' } }],
      ['a union losing a member', { type: ['string', 'null'] }, { type: 'string' }],
      ['number to integer', { type: 'number' }, { type: 'integer' }],
      ['any type to one type', {}, { type: 'string' }],
    ])('%s: breaking', (_label, before, after) => {
      expect(summary(diffTools([withLimit(before)], [withLimit(after)]))).toEqual([
        { kind: 'parameter-type-changed', impact: 'breaking', tool: 'search', path: 'inputSchema.properties.limit' },
      ]);
    });

    it.each([
      ['nullable', { type: 'string' }, { type: ['string', 'null'] }],
      ['integer to number', { type: 'integer' }, { type: 'number' }],
    ])('widened (%s): compatible', (_label, before, after) => {
      expect(summary(diffTools([withLimit(before)], [withLimit(after)]))).toEqual([
        { kind: 'parameter-type-widened', impact: 'compatible', tool: 'search', path: 'inputSchema.properties.limit' },
      ]);
    });

    it('treats integer and number as the same when both are listed', () => {
      expect(diffTools([withLimit({ type: 'number' })], [withLimit({ type: ['integer', 'number'] })])).toEqual([]);
    });

    it('inside array items', () => {
      const before = tool('tag', { tags: { type: 'array', items: { type: 'string' } } });
      const after = tool('tag', { tags: { type: 'array', items: { type: 'integer' } } });
      expect(summary(diffTools([before], [after]))).toEqual([{ kind: 'parameter-type-changed', impact: 'breaking', tool: 'tag', path: 'inputSchema.properties.tags.items' }]);
      const untyped = tool('tag', { tags: { type: 'array' } });
      expect(summary(diffTools([untyped], [before]))).toEqual([{ kind: 'parameter-type-changed', impact: 'breaking', tool: 'tag', path: 'inputSchema.properties.tags.items' }]);
    });

    it('does not walk into properties once the type itself changed', () => {
      const before = tool('t', { options: { type: 'object', properties: { depth: { type: 'integer' } } } });
      const after = tool('t', { options: { type: 'string' } });
      expect(summary(diffTools([before], [after]))).toEqual([{ kind: 'parameter-type-changed', impact: 'breaking', tool: 't', path: 'inputSchema.properties.options' }]);
    });
  });

  it('walks nested object properties with JSON-path-like paths', () => {
    const before = tool('crawl', {
      options: { type: 'object', properties: { depth: { type: 'integer' }, follow: { type: 'object', properties: { external: { type: 'boolean' } } } } },
    });
    const after = tool('crawl', {
      options: {
        type: 'object',
        properties: { depth: { type: 'string' }, follow: { type: 'object', properties: { internal: { type: 'boolean' } }, required: ['internal'] } },
        required: ['depth'],
      },
    });
    expect(summary(diffTools([before], [after]))).toEqual([
      { kind: 'parameter-type-changed', impact: 'breaking', tool: 'crawl', path: 'inputSchema.properties.options.properties.depth' },
      { kind: 'required-parameter-added', impact: 'breaking', tool: 'crawl', path: 'inputSchema.properties.options.properties.depth' },
      { kind: 'parameter-removed', impact: 'breaking', tool: 'crawl', path: 'inputSchema.properties.options.properties.follow.properties.external' },
      { kind: 'required-parameter-added', impact: 'breaking', tool: 'crawl', path: 'inputSchema.properties.options.properties.follow.properties.internal' },
    ]);
  });

  it('quotes property names that are not plain identifiers', () => {
    const before = tool('t', { 'a.b': { type: 'string' } });
    expect(diffTools([before], [tool('t')])[0]!.path).toBe('inputSchema.properties["a.b"]');
  });

  describe('enums', () => {
    const mode = (values: unknown[] | undefined) => tool('fmt', { mode: { type: 'string', ...(values ? { enum: values } : {}) } });

    it('narrowed (a value removed): breaking; widened (a value added): compatible; both at once: both', () => {
      expect(summary(diffTools([mode(['a', 'b'])], [mode(['a'])]))).toEqual([{ kind: 'enum-narrowed', impact: 'breaking', tool: 'fmt', path: 'inputSchema.properties.mode' }]);
      expect(summary(diffTools([mode(['a'])], [mode(['b', 'a'])]))).toEqual([{ kind: 'enum-widened', impact: 'compatible', tool: 'fmt', path: 'inputSchema.properties.mode' }]);
      const both = diffTools([mode(['a', 'b'])], [mode(['a', 'c'])]);
      expect(both.map((c) => [c.kind, c.detail])).toEqual([
        ['enum-narrowed', 'allowed values narrowed: "b" no longer accepted'],
        ['enum-widened', 'allowed values widened: "c" now accepted'],
      ]);
    });

    it('an enum appearing narrows, disappearing widens; const counts as a one-value enum; order is irrelevant', () => {
      expect(summary(diffTools([mode(undefined)], [mode(['a'])]))[0]!.kind).toBe('enum-narrowed');
      expect(summary(diffTools([mode(['a'])], [mode(undefined)]))[0]!.kind).toBe('enum-widened');
      const constant = tool('fmt', { mode: { type: 'string', const: 'a' } });
      expect(diffTools([mode(['a'])], [constant])).toEqual([]);
      expect(diffTools([mode(['a', 'b'])], [mode(['b', 'a'])])).toEqual([]);
    });
  });

  describe('output schema (the caller reads it, so the rules turn around)', () => {
    const withOutput = (schema: McpTool['outputSchema']) => tool('weather', { city: { type: 'string' } }, schema ? { outputSchema: schema } : {});
    const forecast = withOutput(output({ temperature: { type: 'number' }, unit: { type: 'string', enum: ['C', 'F'] } }, ['temperature']));

    it('property removed, type changed, enum widened, property no longer required: breaking', () => {
      const next = withOutput(output({ temperature: { type: 'string' }, unit: { type: 'string', enum: ['C', 'F', 'K'] } }));
      expect(summary(diffTools([forecast], [next]))).toEqual([
        { kind: 'output-schema-narrowed', impact: 'breaking', tool: 'weather', path: 'outputSchema.properties.temperature' },
        { kind: 'output-schema-narrowed', impact: 'breaking', tool: 'weather', path: 'outputSchema.properties.temperature' },
        { kind: 'output-schema-narrowed', impact: 'breaking', tool: 'weather', path: 'outputSchema.properties.unit' },
      ]);
      expect(summary(diffTools([forecast], [withOutput(output({ temperature: { type: 'number' } }, ['temperature']))]))).toEqual([
        { kind: 'output-schema-narrowed', impact: 'breaking', tool: 'weather', path: 'outputSchema.properties.unit' },
      ]);
      expect(summary(diffTools([forecast], [withOutput(undefined)]))).toEqual([{ kind: 'output-schema-narrowed', impact: 'breaking', tool: 'weather', path: 'outputSchema' }]);
    });

    it('property added, enum narrowed, property now required, output schema added: compatible', () => {
      const next = withOutput(output({ temperature: { type: 'number' }, unit: { type: 'string', enum: ['C'] }, humidity: { type: 'number' } }, ['temperature', 'unit']));
      expect(summary(diffTools([forecast], [next]))).toEqual([
        { kind: 'output-schema-extended', impact: 'compatible', tool: 'weather', path: 'outputSchema.properties.humidity' },
        { kind: 'output-schema-extended', impact: 'compatible', tool: 'weather', path: 'outputSchema.properties.unit' },
        { kind: 'output-schema-extended', impact: 'compatible', tool: 'weather', path: 'outputSchema.properties.unit' },
      ]);
      expect(summary(diffTools([withOutput(undefined)], [forecast]))).toEqual([{ kind: 'output-schema-extended', impact: 'compatible', tool: 'weather', path: 'outputSchema' }]);
    });

    it('an output type that accepts more breaks, one that accepts less does not', () => {
      const a = withOutput(output({ t: { type: 'number' } }));
      const b = withOutput(output({ t: { type: ['number', 'null'] } }));
      expect(summary(diffTools([a], [b]))[0]).toMatchObject({ kind: 'output-schema-narrowed', impact: 'breaking' });
      expect(summary(diffTools([b], [a]))[0]).toMatchObject({ kind: 'output-schema-extended', impact: 'compatible' });
    });
  });

  describe('notes', () => {
    it('description-only changes of tool, title, parameters and annotations', () => {
      const next = asTool({
        ...search,
        title: 'Search',
        description: 'Searches the index',
        annotations: { readOnlyHint: true },
        inputSchema: { ...search.inputSchema, properties: { query: { type: 'string', description: 'Search terms', title: 'Query' }, limit: { type: 'integer' } } },
      });
      const changes = diffTools([search], [next]);
      expect(summary(changes)).toEqual([
        { kind: 'description-changed', impact: 'note', tool: 'search', path: 'annotations.readOnlyHint' },
        { kind: 'description-changed', impact: 'note', tool: 'search', path: 'description' },
        { kind: 'description-changed', impact: 'note', tool: 'search', path: 'inputSchema.properties.query.description' },
        { kind: 'description-changed', impact: 'note', tool: 'search', path: 'inputSchema.properties.query.title' },
        { kind: 'description-changed', impact: 'note', tool: 'search', path: 'title' },
      ]);
      expect(changes[1]!.detail).toBe('description changed from "The search tool" to "Searches the index"');
    });

    it('a parameter called "description" is a parameter, not documentation', () => {
      const before = tool('issue', { description: { type: 'string' } });
      expect(summary(diffTools([before], [tool('issue')]))).toEqual([{ kind: 'parameter-removed', impact: 'breaking', tool: 'issue', path: 'inputSchema.properties.description' }]);
    });

    it('$ref and anyOf changes are notes saying they were not analysed', () => {
      const ref = (target: string) => ({
        name: 'q',
        inputSchema: { type: 'object' as const, properties: { filter: { $ref: target } }, $defs: { A: { type: 'string' }, B: { type: 'integer' } } },
      });
      const changes = diffTools([ref('#/$defs/A')], [ref('#/$defs/B')]);
      expect(summary(changes)).toEqual([{ kind: 'unanalysed-change', impact: 'note', tool: 'q', path: 'inputSchema.properties.filter' }]);
      expect(changes[0]!.detail).toMatch(/uses \$ref.*review this change by hand/);

      const anyOf = (types: string[]) => tool('q', { v: { anyOf: types.map((type) => ({ type })) } });
      expect(summary(diffTools([anyOf(['string', 'null'])], [anyOf(['string'])]))).toEqual([{ kind: 'unanalysed-change', impact: 'note', tool: 'q', path: 'inputSchema.properties.v' }]);
      expect(diffTools([anyOf(['string', 'null'])], [anyOf(['string', 'null'])])).toEqual([]);
    });

    it('a changed $defs is a note, even when every $ref stays the same', () => {
      const withDefs = (type: string) => ({ name: 'q', inputSchema: { type: 'object' as const, properties: { f: { $ref: '#/$defs/F' } }, $defs: { F: { type } } } });
      expect(summary(diffTools([withDefs('string')], [withDefs('integer')]))).toEqual([{ kind: 'unanalysed-change', impact: 'note', tool: 'q', path: 'inputSchema.$defs' }]);
    });

    it('keywords it does not analyse (minimum, format, default, additionalProperties) are notes; so are other tool fields', () => {
      const before = tool('t', { n: { type: 'integer', minimum: 0 } });
      const after = asTool({
        name: 't',
        description: 'The t tool',
        inputSchema: { type: 'object', properties: { n: { type: 'integer', minimum: 1, default: 5 } }, additionalProperties: false },
        _meta: { owner: 'x' },
      });
      expect(summary(diffTools([before], [after]))).toEqual([
        { kind: 'unanalysed-change', impact: 'note', tool: 't', path: '_meta' },
        { kind: 'unanalysed-change', impact: 'note', tool: 't', path: 'inputSchema.additionalProperties' },
        { kind: 'unanalysed-change', impact: 'note', tool: 't', path: 'inputSchema.properties.n.default' },
        { kind: 'unanalysed-change', impact: 'note', tool: 't', path: 'inputSchema.properties.n.minimum' },
      ]);
    });

    it('a tool declared twice is a note, and its first declaration is compared', () => {
      expect(summary(diffTools([search], [search, tool('search')]))).toEqual([{ kind: 'unanalysed-change', impact: 'note', tool: 'search' }]);
    });
  });

  it('orders changes by tool, then path, then kind, whatever the input order', () => {
    const base = [tool('b', { x: { type: 'string' } }), tool('a', { y: { type: 'string' } }), tool('c')];
    const next = [tool('d'), tool('a', { y: { type: 'number' }, z: { type: 'string' } }, { required: ['z'] }), tool('b')];
    const changes = diffTools(base, next);
    expect(changes.map((c) => `${c.tool} ${c.path ?? ''} ${c.kind}`)).toEqual([
      'a inputSchema.properties.y parameter-type-changed',
      'a inputSchema.properties.z required-parameter-added',
      'b inputSchema.properties.x parameter-removed',
      'c  tool-removed',
      'd  tool-added',
    ]);
    expect(diffTools([...base].reverse(), [...next].reverse())).toEqual(changes);
  });

  it('gives every change the impact of its kind', () => {
    const before = [search, tool('gone')];
    const after = [tool('search', { query: { type: 'number' } }, { required: ['query', 'index'] }), tool('new')];
    for (const change of diffTools(before, after)) expect(change.impact).toBe(IMPACT_OF_KIND[change.kind]);
  });

  it('reports a change below the depth limit as a note instead of walking on', () => {
    const nest = (depth: number, leaf: string): Schema => (depth === 0 ? { type: leaf } : { type: 'object', properties: { n: nest(depth - 1, leaf) } });
    const changes = diffTools([tool('deep', { n: nest(40, 'string') })], [tool('deep', { n: nest(40, 'integer') })]);
    expect(summary(changes)).toEqual([expect.objectContaining({ kind: 'unanalysed-change', impact: 'note' })]);
    expect(changes[0]!.detail).toMatch(/nesting depth of 32/);
  });
});
