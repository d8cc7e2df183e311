import type { McpTool } from '@toolport/contracts';
import { parameterOfPath, pathSegment, toolFields, toolParameters } from './tool-fields';

const poisoned = {
  name: 'search',
  title: 'Search',
  description: 'Searches.',
  inputSchema: {
    type: 'object',
    properties: {
      path: { type: 'string', description: 'Where to look', default: '~/' },
      mode: { type: 'string', enum: ['fast', 'deep'], examples: ['fast'] },
      filter: { type: 'object', properties: { 'odd.name': { type: 'string', title: 'Odd', pattern: '^a+$' } } },
      tags: { type: 'array', items: { type: 'string', description: 'One tag' } },
      options: { anyOf: [{ type: 'string', description: 'Inline options' }, { type: 'null' }], default: { properties: 'not a schema' } },
    },
    required: ['path'],
  },
  outputSchema: { type: 'object', properties: { hits: { type: 'array', $comment: 'internal' } } },
  annotations: { title: 'Search things', readOnlyHint: true, extra: ['a'] },
} as McpTool;

describe('toolFields', () => {
  it('collects every string the model sees, with its JSON path and role', () => {
    const fields = toolFields(poisoned).map((f) => `${f.role} ${f.path} = ${f.text}`);
    expect(fields).toEqual([
      'name tools.search.name = search',
      'title tools.search.title = Search',
      'description tools.search.description = Searches.',
      'schema-other tools.search.inputSchema.type = object',
      'property-name tools.search.inputSchema.properties.path = path',
      'schema-other tools.search.inputSchema.properties.path.type = string',
      'schema-text tools.search.inputSchema.properties.path.description = Where to look',
      'default tools.search.inputSchema.properties.path.default = ~/',
      'property-name tools.search.inputSchema.properties.mode = mode',
      'schema-other tools.search.inputSchema.properties.mode.type = string',
      'enum tools.search.inputSchema.properties.mode.enum[0] = fast',
      'enum tools.search.inputSchema.properties.mode.enum[1] = deep',
      'example tools.search.inputSchema.properties.mode.examples[0] = fast',
      'property-name tools.search.inputSchema.properties.filter = filter',
      'schema-other tools.search.inputSchema.properties.filter.type = object',
      'property-name tools.search.inputSchema.properties.filter.properties["odd.name"] = odd.name',
      'schema-other tools.search.inputSchema.properties.filter.properties["odd.name"].type = string',
      'schema-text tools.search.inputSchema.properties.filter.properties["odd.name"].title = Odd',
      'pattern tools.search.inputSchema.properties.filter.properties["odd.name"].pattern = ^a+$',
      'property-name tools.search.inputSchema.properties.tags = tags',
      'schema-other tools.search.inputSchema.properties.tags.type = array',
      'schema-other tools.search.inputSchema.properties.tags.items.type = string',
      'schema-text tools.search.inputSchema.properties.tags.items.description = One tag',
      'property-name tools.search.inputSchema.properties.options = options',
      'schema-other tools.search.inputSchema.properties.options.anyOf[0].type = string',
      'schema-text tools.search.inputSchema.properties.options.anyOf[0].description = Inline options',
      'schema-other tools.search.inputSchema.properties.options.anyOf[1].type = null',
      'default tools.search.inputSchema.properties.options.default.properties = not a schema',
      'schema-other tools.search.inputSchema.required[0] = path',
      'schema-other tools.search.outputSchema.type = object',
      'property-name tools.search.outputSchema.properties.hits = hits',
      'schema-other tools.search.outputSchema.properties.hits.type = array',
      'schema-text tools.search.outputSchema.properties.hits.$comment = internal',
      'annotation tools.search.annotations.title = Search things',
      'annotation tools.search.annotations.extra[0] = a',
    ]);
  });

  it('quotes names that are not plain identifiers', () => {
    expect(pathSegment('send-email')).toBe('.send-email');
    expect(pathSegment('a.b c')).toBe('["a.b c"]');
    expect(toolFields({ name: 'tool one', inputSchema: { type: 'object' } } as McpTool)[0]!.path).toBe('tools["tool one"].name');
  });

  it('survives tools without schemas (from static extraction)', () => {
    expect(toolFields({ name: 'bare' } as McpTool).map((f) => f.path)).toEqual(['tools.bare.name']);
    expect(toolParameters({ name: 'bare' } as McpTool)).toEqual([]);
  });
});

describe('toolParameters', () => {
  it('lists nested parameters and tells free-text ones from constrained ones', () => {
    const parameters = toolParameters(poisoned).map((p) => `${p.name}:${p.freeText ? 'free' : 'constrained'}`);
    expect(parameters).toEqual(['path:free', 'mode:constrained', 'filter:constrained', 'odd.name:constrained', 'tags:constrained', 'options:free']);
  });

  it('finds the parameter a field belongs to, the innermost one first', () => {
    const parameters = toolParameters(poisoned);
    expect(parameterOfPath(parameters, 'tools.search.inputSchema.properties.path.description')?.name).toBe('path');
    expect(parameterOfPath(parameters, 'tools.search.inputSchema.properties.filter.properties["odd.name"].title')?.name).toBe('odd.name');
    expect(parameterOfPath(parameters, 'tools.search.inputSchema.properties.pathology')).toBeUndefined();
    expect(parameterOfPath(parameters, 'tools.search.description')).toBeUndefined();
  });
});
