import fc from 'fast-check';
import { canonicalJson, leafData, payloadDigest, recordLeafHash } from './canonical-json';
import type { AuditRecord } from './log-format';

describe('canonicalJson', () => {
  it('sorts keys recursively and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('sorts keys by UTF-16 code units: the RFC 8785 §3.2.3 example', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalJson(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
        '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('writes numbers as ECMAScript does: the RFC 8785 §3.2.2.3 examples', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [1e21, '1e+21'],
      [1e30, '1e+30'],
      [333333333.33333329, '333333333.3333333'],
      [4.5, '4.5'],
      [2e-3, '0.002'],
      [0.000000000000000000000000001, '1e-27'],
      [-1.5, '-1.5'],
      [9007199254740991, '9007199254740991'],
    ];
    for (const [value, text] of cases) expect(canonicalJson(value)).toBe(text);
  });

  it('escapes strings as JSON.stringify does', () => {
    expect(canonicalJson('a"b\\c\n\u0001é😀')).toBe('"a\\"b\\\\c\\n\\u0001é😀"');
  });

  it('leaves out undefined properties and honours toJSON, like JSON.stringify and jsonb', () => {
    expect(canonicalJson({ a: undefined, b: new Date('2025-01-02T03:04:05.678Z') })).toBe('{"b":"2025-01-02T03:04:05.678Z"}');
  });

  it.each<[string, unknown, string]>([
    ['NaN', { a: [1, NaN] }, '$.a[1] is NaN'],
    ['Infinity', { a: Infinity }, '$.a is Infinity'],
    ['undefined in an array', [1, undefined], '$[1] is undefined'],
    ['undefined at the top', undefined, '$ is undefined'],
    ['a bigint', { n: 1n }, '$.n is the bigint 1n'],
    ['a function', { 'odd key': () => 1 }, '$["odd key"] is a function'],
    ['a symbol', [Symbol('s')], '$[0] is a symbol'],
    ['a Map', { m: new Map() }, '$.m is a Map'],
  ])('rejects %s clearly', (_name, value, message) => {
    expect(() => canonicalJson(value)).toThrow(message);
  });

  it('rejects a cycle but accepts a shared value', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow('$.self refers back to an enclosing value');
  });

  it('parses back to what a JSON round trip gives, whatever the key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(text);
        expect(canonicalJson(reverseKeys(value))).toBe(text);
        expect(text).not.toMatch(/[\n\t]/); // raw newlines and tabs only occur as whitespace
      }),
    );
  });
});

describe('leafData, recordLeafHash and payloadDigest', () => {
  const record: AuditRecord = {
    seq: 1,
    eventId: '0190a3e4-8c1e-7b3a-9f00-000000000001',
    type: 'VersionPublished',
    streamId: 'server-io.x/y',
    actor: { kind: 'user', id: 'alice' },
    occurredAt: '2025-01-02T03:04:05.678Z',
    subject: { serverName: 'io.x/y', version: '1.2.0' },
    summary: 'alice published io.x/y 1.2.0',
    payloadDigest: '0'.repeat(64),
    payload: { secret: 'not in the leaf' },
  };

  it('is the canonical JSON of exactly the leaf fields, payload left out', () => {
    expect(leafData(record).toString('utf8')).toBe(
      '{"actor":{"id":"alice","kind":"user"},"eventId":"0190a3e4-8c1e-7b3a-9f00-000000000001",' +
        '"occurredAt":"2025-01-02T03:04:05.678Z","payloadDigest":"' + '0'.repeat(64) + '","seq":1,' +
        '"streamId":"server-io.x/y","subject":{"serverName":"io.x/y","version":"1.2.0"},' +
        '"summary":"alice published io.x/y 1.2.0","type":"VersionPublished"}',
    );
  });

  it('hashes to SHA-256(0x00 || leafData), checked against sha256sum', () => {
    // printf '\x00%s' "$(leafData)" | sha256sum
    expect(recordLeafHash(record).toString('hex')).toBe('e8fab7765e6028c99918f540db7d82b8423c4449bcfad08d70f0acf297171f55');
  });

  it('changes with every leaf field, and not with the payload', () => {
    const base = recordLeafHash(record).toString('hex');
    const changes: Partial<AuditRecord>[] = [
      { seq: 2 },
      { eventId: '0190a3e4-8c1e-7b3a-9f00-000000000002' },
      { type: 'VersionStatusChanged' },
      { streamId: 'server-io.x/z' },
      { actor: { kind: 'token', id: 'alice' } },
      { occurredAt: '2025-01-02T03:04:05.679Z' },
      { subject: null },
      { summary: 'bob published io.x/y 1.2.0' },
      { payloadDigest: '1'.repeat(64) },
    ];
    for (const change of changes) expect(recordLeafHash({ ...record, ...change }).toString('hex')).not.toBe(base);
    const otherPayload: AuditRecord = { ...record, payload: { other: true } };
    expect(recordLeafHash(otherPayload).toString('hex')).toBe(base);
  });

  it('refuses a record with a missing field instead of leaving it out', () => {
    const { summary: _summary, ...withoutSummary } = record;
    expect(() => leafData(withoutSummary as AuditRecord)).toThrow('the record has no summary');
  });

  it('digests the canonical payload: key order does not matter, content does (checked against sha256sum)', () => {
    // printf '%s' '{"a":1,"b":[true,null,"x"]}' | sha256sum
    expect(payloadDigest({ b: [true, null, 'x'], a: 1 })).toBe('eca8cfb31ab74533e1eb2f4c74d2d55dfe3c79ac704787e54be8647ea7777eb1');
    expect(payloadDigest({ a: 1, b: [true, null, 'x'] })).toBe(payloadDigest({ b: [true, null, 'x'], a: 1 }));
    expect(payloadDigest({ a: 2, b: [true, null, 'x'] })).not.toBe(payloadDigest({ a: 1, b: [true, null, 'x'] }));
  });
});

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([key, inner]) => [key, reverseKeys(inner)]));
}
