import { createHash } from 'node:crypto';
import { TRUST_LEVELS } from '@toolport/contracts';
import type { Settings } from 'meilisearch';
import { escapeHtml, LIST_SEPARATOR, MAX_LIST_ITEMS } from './highlight';
import type { SearchFilters, ServerDocument, ServerFacet, ToolDocument } from './search-index';
import { healthRank, MAX_FACET_VALUES, statusesOf, trustRank } from './search-ranking';
import { wordsOf } from './text-tokenizer';

/**
 * The pure half of the Meilisearch adapter: index settings, documents, filter expressions and
 * highlight conversion. Unit-tested here; the adapter that sends them needs a server.
 */

/** Derived fields holding our tokenizer's words, so `git_diff` and `getWeather` split as in the embedded engine. */
export interface MeiliServerDocument extends ServerDocument {
  key: string;
  versionKey: string;
  nameWords: string;
  toolNameWords: string;
  packageWords: string;
  trustRank: number;
  healthRank: number;
}

export interface MeiliToolDocument extends ToolDocument {
  key: string;
  versionKey: string;
  toolNameWords: string;
  serverNameWords: string;
  trustRank: number;
  healthRank: number;
}

/** Meilisearch ids allow [A-Za-z0-9_-] only (ours hold `/`, `@`, `.`, `#`): a SHA-256 of the id. */
export function documentKey(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

export const versionKeyOf = (serverName: string, version: string): string => `${serverName}@${version}`;

export function toMeiliServer(doc: ServerDocument): MeiliServerDocument {
  return {
    ...doc,
    key: documentKey(doc.id),
    versionKey: versionKeyOf(doc.serverName, doc.version),
    nameWords: wordsOf([doc.serverName]),
    toolNameWords: wordsOf(doc.toolNames),
    packageWords: wordsOf(doc.packageIdentifiers),
    trustRank: trustRank(doc.trustLevel),
    healthRank: healthRank(doc.health),
  };
}

export function toMeiliTool(doc: ToolDocument): MeiliToolDocument {
  return {
    ...doc,
    key: documentKey(doc.id),
    versionKey: versionKeyOf(doc.serverName, doc.version),
    toolNameWords: wordsOf([doc.toolName]),
    serverNameWords: wordsOf([doc.serverName]),
    trustRank: trustRank(doc.trustLevel),
    healthRank: healthRank(doc.health),
  };
}

const SERVER_KEYS = ['id', 'serverName', 'namespace', 'version', 'title', 'description', 'keywords', 'toolNames', 'toolDescriptions', 'packageIdentifiers', 'registryTypes', 'transports', 'trustLevel', 'score', 'approved', 'health', 'status', 'isLatest', 'publishedAt', 'updatedAt'] as const satisfies ReadonlyArray<keyof ServerDocument>;
const TOOL_KEYS = ['id', 'serverName', 'namespace', 'version', 'toolName', 'title', 'description', 'parameterNames', 'registryTypes', 'transports', 'trustLevel', 'approved', 'health', 'status', 'isLatest'] as const satisfies ReadonlyArray<keyof ToolDocument>;

/** The port's document back from a hit (derived fields and `_formatted` dropped). */
export function fromMeiliServer(hit: Record<string, unknown>): ServerDocument {
  return pick(hit, SERVER_KEYS) as unknown as ServerDocument;
}

export function fromMeiliTool(hit: Record<string, unknown>): ToolDocument {
  return pick(hit, TOOL_KEYS) as unknown as ToolDocument;
}

function pick(hit: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (key in hit) out[key] = hit[key];
  return out;
}

/**
 * Ranking rules: Meilisearch's built-in relevance rules in their default order, then trust and
 * health (the issue: "ranking by text relevance, then trust and health"), then the id so that
 * equal documents have one order and offset cursors are stable.
 */
const RANKING_RULES = ['words', 'typo', 'proximity', 'attribute', 'exactness', 'trustRank:desc', 'healthRank:desc', 'id:asc'];
const FILTERABLE = ['registryTypes', 'transports', 'trustLevel', 'trustRank', 'health', 'healthRank', 'approved', 'namespace', 'status', 'isLatest', 'versionKey'];

function commonSettings(): Settings {
  return {
    filterableAttributes: FILTERABLE,
    sortableAttributes: ['trustRank', 'healthRank', 'id', 'updatedAt'],
    rankingRules: RANKING_RULES,
    // Meilisearch's own defaults, stated so the contract (and the embedded engine) can rely on them.
    typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } },
    faceting: { maxValuesPerFacet: MAX_FACET_VALUES, sortFacetValuesBy: { '*': 'count' } },
    // Offset cursors can page this deep; past it Meilisearch returns nothing.
    pagination: { maxTotalHits: 10_000 },
    separatorTokens: ['_'],
  };
}

/** Searchable attributes in ranking order (the `attribute` rule weighs earlier ones more). */
export function serverIndexSettings(): Settings {
  return { ...commonSettings(), searchableAttributes: ['nameWords', 'title', 'toolNameWords', 'keywords', 'packageWords', 'description', 'toolDescriptions'], sortableAttributes: ['trustRank', 'healthRank', 'id', 'updatedAt', 'publishedAt'] };
}

export function toolIndexSettings(): Settings {
  return { ...commonSettings(), searchableAttributes: ['toolNameWords', 'title', 'parameterNames', 'description', 'serverNameWords'] };
}

/** A string literal in Meilisearch's filter syntax: double quotes, with `\` and `"` escaped. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The filters as Meilisearch filter clauses, all of which must hold. */
export function meiliFilter(filters: SearchFilters): string[] {
  const clauses = [`status IN [${statusesOf(filters).map(quote).join(', ')}]`];
  if (filters.registryType !== undefined) clauses.push(`registryTypes = ${quote(filters.registryType)}`);
  if (filters.transport !== undefined) clauses.push(`transports = ${quote(filters.transport)}`);
  if (filters.minTrust !== undefined) clauses.push(`trustRank >= ${TRUST_LEVELS.indexOf(filters.minTrust) + 1}`);
  if (filters.health !== undefined) clauses.push(`health = ${quote(filters.health)}`);
  if (filters.approved !== undefined) clauses.push(`approved = ${filters.approved}`);
  if (filters.namespace !== undefined) clauses.push(`namespace = ${quote(filters.namespace)}`);
  if (filters.latestOnly === true) clauses.push('isLatest = true');
  return clauses;
}

const FACET_ATTRIBUTES: Record<ServerFacet, string> = {
  registryType: 'registryTypes',
  transport: 'transports',
  trustLevel: 'trustLevel',
  health: 'health',
  namespace: 'namespace',
  approved: 'approved',
};

export function meiliFacets(facets: readonly ServerFacet[]): string[] {
  return facets.map((facet) => FACET_ATTRIBUTES[facet]);
}

/** Meilisearch's facetDistribution keyed back by the port's facet names. */
export function facetsFrom(facets: readonly ServerFacet[], distribution: Record<string, Record<string, number>> | undefined): Partial<Record<ServerFacet, Record<string, number>>> {
  const out: Partial<Record<ServerFacet, Record<string, number>>> = {};
  for (const facet of facets) {
    const counts = distribution?.[FACET_ATTRIBUTES[facet]] ?? {};
    out[facet] = Object.fromEntries(Object.entries(counts).filter(([value, n]) => n > 0 && value !== 'null'));
  }
  return out;
}

/**
 * Meilisearch does not escape what it highlights, so it marks matches with control characters
 * that no document contains; we escape the text, then turn the marks into <em>…</em>.
 */
export const PRE_TAG = '\u0002';
export const POST_TAG = '\u0003';

function toHtml(marked: string): string {
  return escapeHtml(marked).split(PRE_TAG).join('<em>').split(POST_TAG).join('</em>');
}

/** Highlights from `_formatted`, with the embedded engine's rules (see highlightDocument). */
export function highlightsFrom(formatted: Record<string, unknown> | undefined, fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  let listShown = false;
  for (const field of fields) {
    const value = formatted?.[field];
    if (typeof value === 'string') out[field] = toHtml(value);
    else if (Array.isArray(value) && !listShown) {
      const items = value.filter((item): item is string => typeof item === 'string' && item.includes(PRE_TAG)).slice(0, MAX_LIST_ITEMS);
      if (items.length > 0) {
        out[field] = items.map(toHtml).join(LIST_SEPARATOR);
        listShown = true;
      }
    }
  }
  return out;
}

/** In ranking order, as SERVER_FIELDS: the first list field with a match is the one shown. */
export const SERVER_HIGHLIGHTS = ['serverName', 'title', 'toolNames', 'keywords', 'packageIdentifiers', 'description', 'toolDescriptions'];
export const TOOL_HIGHLIGHTS = ['toolName', 'title', 'description', 'parameterNames'];
