import { readFileSync } from 'node:fs';

/**
 * Static headers for probes, by server (issue 6: "Static headers come from secret references in
 * config, never from events"). A server.json remote names its headers (`headers[].name`), but the
 * publisher never has their values; ops put them in a JSON file (a mounted secret) named by
 * TOOLPORT_HEALTH_HEADERS_FILE:
 *
 *   { "com.acme/billing": { "Authorization": "Bearer ..." }, "com.acme/*": { "X-Probe": "toolport" } }
 *
 * Keys are server names or namespace patterns ending in `/*`; an exact name wins over a pattern,
 * a longer pattern over a shorter one, header by header. Values are never logged, stored or put
 * in events: only header NAMES appear in reasons.
 */
export class HeaderSecrets {
  private readonly entries: Array<{ key: string; headers: Record<string, string> }>;

  constructor(document: Record<string, Record<string, string>> = {}) {
    this.entries = Object.entries(document).map(([key, headers]) => ({ key, headers }));
  }

  static empty(): HeaderSecrets {
    return new HeaderSecrets();
  }

  /** Parses the file's text; throws with a message that names the problem, never a value. */
  static parse(text: string, source: string): HeaderSecrets {
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      throw new Error(`${source} is not valid JSON`);
    }
    if (typeof document !== 'object' || document === null || Array.isArray(document)) throw new Error(`${source} must be a JSON object of server names to header objects`);
    for (const [key, headers] of Object.entries(document)) {
      if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) throw new Error(`${source}: "${key}" must map header names to string values`);
      for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
        if (typeof value !== 'string') throw new Error(`${source}: header "${name}" of "${key}" must be a string`);
        if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new Error(`${source}: "${name}" (under "${key}") is not a valid header name`);
      }
    }
    return new HeaderSecrets(document as Record<string, Record<string, string>>);
  }

  static fromFile(path: string): HeaderSecrets {
    return HeaderSecrets.parse(readFileSync(path, 'utf8'), path);
  }

  /** The configured headers for a server (header names compared case-insensitively). */
  forServer(serverName: string): Record<string, string> {
    const matching = this.entries
      .filter(({ key }) => key === serverName || (key.endsWith('/*') && serverName.startsWith(key.slice(0, -1))))
      .sort((a, b) => rank(a.key) - rank(b.key));
    const merged = new Map<string, [string, string]>();
    for (const { headers } of matching) for (const [name, value] of Object.entries(headers)) merged.set(name.toLowerCase(), [name, value]);
    return Object.fromEntries(merged.values());
  }

  get size(): number {
    return this.entries.length;
  }
}

/** Less specific first, so the more specific overwrite. */
const rank = (key: string): number => (key.endsWith('/*') ? key.length : 100_000);
