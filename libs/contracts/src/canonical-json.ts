/**
 * Canonical JSON in the manner of RFC 8785 (JCS): object keys sorted by UTF-16 code units
 * (JavaScript's default sort order, which is what RFC 8785 §3.2.3 prescribes), no whitespace,
 * numbers and strings serialised exactly as JSON.stringify does (RFC 8785 §3.2.2 adopts
 * ECMAScript's Number-to-String and JSON string escaping).
 *
 * The result parses back to the same value as JSON.parse(JSON.stringify(value)), so a digest taken
 * at ingest is the digest of what Postgres' jsonb gives back later. Where JSON.stringify would
 * silently lose data this throws instead, naming the path: NaN and ±Infinity (which it writes as
 * null), undefined, functions and symbols inside arrays (null again), bigint, cycles, and objects
 * that are neither plain nor arrays and have no toJSON (a Map would become {}). An undefined object
 * property is left out, as JSON.stringify and jsonb do; toJSON is honoured (a Date becomes its ISO
 * string).
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, '$', '', new Set());
}

function serialise(value: unknown, path: string, key: string, ancestors: Set<object>): string {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: (key: string) => unknown }).toJSON(key);
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${path} is ${value}, which JSON cannot represent`);
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      return serialiseContainer(value, path, ancestors);
    default:
      throw new TypeError(`canonical JSON: ${path} is ${describe(value)}, which JSON cannot represent`);
  }
}

function serialiseContainer(value: object, path: string, ancestors: Set<object>): string {
  if (ancestors.has(value)) throw new TypeError(`canonical JSON: ${path} refers back to an enclosing value (a cycle)`);
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      return `[${value.map((item, index) => serialise(item, `${path}[${index}]`, String(index), ancestors)).join(',')}]`;
    }
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) {
      throw new TypeError(`canonical JSON: ${path} is a ${value.constructor?.name ?? 'non-plain object'}, not a plain object or array`);
    }
    const record = value as Record<string, unknown>;
    const members: string[] = [];
    for (const name of Object.keys(record).sort()) {
      const member = record[name];
      if (member === undefined) continue;
      members.push(`${JSON.stringify(name)}:${serialise(member, `${path}${propertyPath(name)}`, name, ancestors)}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}

function propertyPath(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `the bigint ${value}n`;
  return `a ${typeof value}`;
}
