import { randomBytes } from 'node:crypto';
import type { CommandContext, McpTool } from '@toolport/contracts';
import type { NewEvent, PostgresEventStore } from '@toolport/event-store';

/** Words that make the corpus searchable in realistic ways: names, tool verbs, domains. */
const DOMAINS = ['git', 'weather', 'files', 'postgres', 'slack', 'jira', 'github', 'calendar', 'email', 'browser', 'kubernetes', 'docker', 'stripe', 'notion', 'figma', 'search', 'memory', 'shell', 'maps', 'translate'];
const VERBS = ['list', 'get', 'create', 'update', 'delete', 'search', 'diff', 'merge', 'query', 'send', 'read', 'write', 'fetch', 'summarize', 'watch'];
const NOUNS = ['branches', 'commits', 'issues', 'files', 'tables', 'messages', 'events', 'pods', 'images', 'invoices', 'pages', 'records', 'forecasts', 'routes', 'notes'];

const pick = <T>(list: readonly T[], i: number) => list[i % list.length]!;

export function serverName(i: number): string {
  return `io.bench.org${i % 997}/${pick(DOMAINS, i)}-${i}`;
}

export function tools(i: number, count: number): McpTool[] {
  return Array.from({ length: count }, (_, t) => {
    const verb = pick(VERBS, i + t * 7);
    const noun = pick(NOUNS, i * 3 + t);
    return {
      name: `${verb}_${noun}`,
      description: `${verb[0]!.toUpperCase()}${verb.slice(1)} ${noun} in ${pick(DOMAINS, i)} for the current project`,
      inputSchema: { type: 'object', properties: { [`${noun.slice(0, -1)}_id`]: { type: 'string' }, limit: { type: 'integer' } } },
    };
  });
}

export function publishedEvents(i: number, toolCount: number, now: Date): NewEvent[] {
  const name = serverName(i);
  const version = '1.0.0';
  const server = {
    $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
    name,
    title: `${pick(DOMAINS, i)} server ${i}`,
    description: `MCP server for ${pick(DOMAINS, i)} and ${pick(DOMAINS, i + 5)} work`,
    version,
    packages: [{ registryType: i % 3 === 0 ? 'pypi' : 'npm', identifier: `@bench/${pick(DOMAINS, i)}-${i}`, version, transport: { type: 'stdio' } }],
  };
  return [
    {
      type: 'VersionPublished',
      data: {
        serverName: name,
        version,
        server,
        schemaId: server.$schema,
        tools: tools(i, toolCount),
        compatibility: { baseVersion: null, bump: 'none', changes: [], breaking: false, policy: 'warn' },
        publishedAt: now.toISOString(),
        isLatest: true,
      },
    },
    { type: 'LatestVersionChanged', data: { serverName: name, previous: null, latest: version } },
  ];
}

const context = (): CommandContext => ({ actor: { kind: 'service', id: 'bench' }, correlationId: `bench-${randomBytes(4).toString('hex')}`, now: new Date() });

/** Appends `count` servers (each its own stream), `parallel` appends at a time. */
export async function seedServers(store: PostgresEventStore, from: number, count: number, toolCount: number, parallel: number, onProgress: (n: number) => void): Promise<void> {
  let next = from;
  const end = from + count;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < end) {
        const i = next++;
        await store.append(`server-${serverName(i)}`, publishedEvents(i, toolCount, new Date()), { expectedVersion: 'no_stream', context: context() });
        onProgress(1);
      }
    }),
  );
}

/** At least `n` distinct queries: names, tool words, phrases and typos. */
/** A typo in the longest word of a query (its 3rd and 4th letters swapped), as users make them. */
function typo(query: string): string {
  const words = query.split(' ');
  const longest = words.reduce((at, w, i) => (w.length > words[at]!.length ? i : at), 0);
  const w = words[longest]!;
  if (w.length > 4) words[longest] = `${w.slice(0, 2)}${w[3]}${w[2]}${w.slice(4)}`;
  return words.join(' ');
}

export function searchQueries(n: number, servers: number): string[] {
  const queries = new Set<string>();
  for (let i = 0; queries.size < n; i++) {
    const d = pick(DOMAINS, i);
    const v = pick(VERBS, i * 5 + 1);
    const o = pick(NOUNS, i * 11 + 3);
    switch (i % 6) {
      case 0: queries.add(`${d}-${i % servers}`); break;
      case 1: queries.add(`${v} ${o}`); break;
      case 2: queries.add(typo(`${d} ${o}`)); break;
      case 3: queries.add(`${o} ${d} ${i}`); break;
      case 4: queries.add(`${typo(o)} ${v}`); break;
      default: queries.add(`${d} server ${i % servers}`);
    }
  }
  return [...queries];
}

/** Tool searches: what a tool does, with the domain, as a sentence, or with a typo (n distinct). */
export function toolQueries(n: number): string[] {
  const queries = new Set<string>();
  // Every verb with every noun (225 pairs), each pair with each domain in turn: distinct up to 4 x 225 x 20.
  for (let i = 0; queries.size < n; i++) {
    const pair = Math.floor(i / 4) % (VERBS.length * NOUNS.length);
    const v = pick(VERBS, pair);
    const o = pick(NOUNS, Math.floor(pair / VERBS.length));
    const d = pick(DOMAINS, Math.floor(i / (4 * VERBS.length * NOUNS.length)) + pair);
    switch (i % 4) {
      case 0: queries.add(`${v} ${o}`); break;
      case 1: queries.add(`${v} ${o} ${d}`); break;
      case 2: queries.add(`a ${d} server that can ${v} ${o}`); break;
      default: queries.add(typo(`${v} ${o} in ${d}`));
    }
  }
  return [...queries];
}
