import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { toolHash, toolListHash } from './tool-hash';
import type { McpTool } from './tools';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('toolHash and toolListHash', () => {
  const search = {
    name: 'search',
    title: 'Search',
    description: 'Finds things',
    inputSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
    annotations: { readOnlyHint: true },
    _meta: { ignored: true },
  } as unknown as McpTool;

  it('is the SHA-256 of the canonical JSON of name, description, schemas and annotations (absent fields omitted)', () => {
    const expected = '{"annotations":{"readOnlyHint":true},"description":"Finds things","inputSchema":{"properties":{"q":{"type":"string"}},"required":["q"],"type":"object"},"name":"search"}';
    expect(toolHash(search)).toBe(sha256(expected));
    expect(toolHash(search)).toMatch(/^[a-f0-9]{64}$/);
  });

  it('ignores key order, title and _meta; changes with any hashed field', () => {
    const reordered = { _meta: { other: 1 }, annotations: { readOnlyHint: true }, inputSchema: { required: ['q'], type: 'object', properties: { q: { type: 'string' } } }, description: 'Finds things', name: 'search', title: 'Other' } as unknown as McpTool;
    expect(toolHash(reordered)).toBe(toolHash(search));
    expect(toolHash({ ...search, description: 'Finds things.' })).not.toBe(toolHash(search));
    expect(toolHash({ ...search, outputSchema: { type: 'object' } })).not.toBe(toolHash(search));
    expect(toolHash({ ...search, annotations: undefined })).not.toBe(toolHash(search));
  });

  it('canonical JSON sorts keys by code unit, drops undefined members and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [3, 1, { d: undefined, c: 'é' }], B: null, 'ä': true })).toBe('{"B":null,"a":[3,1,{"c":"é"}],"b":1,"ä":true}');
  });

  it('hashes the list sorted by name, so the order a server lists its tools in does not matter', () => {
    const fetchTool = { name: 'fetch', inputSchema: { type: 'object' } } as McpTool;
    expect(toolListHash([search, fetchTool])).toBe(toolListHash([fetchTool, search]));
    expect(toolListHash([search, fetchTool])).toBe(sha256(`[${canonicalJson({ inputSchema: { type: 'object' }, name: 'fetch' })},${canonicalJson({ ...search, title: undefined, _meta: undefined })}]`));
    expect(toolListHash([])).toBe(sha256('[]'));
    expect(toolListHash([search])).not.toBe(toolListHash([search, fetchTool]));
  });
});
