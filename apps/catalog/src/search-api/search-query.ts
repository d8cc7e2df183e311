import { HEALTH_STATUSES, type HealthStatus, TRUST_LEVELS, type TrustLevel, ToolportError, type ErrorItem } from '@toolport/contracts';
import type { SearchFilters, ServerFacet } from '../search/search-index';

/** Long enough for any real query; short enough that no one sends a document as a query. */
export const MAX_QUERY_LENGTH = 200;
export const DEFAULT_SEARCH_LIMIT = 20;
export const MAX_SEARCH_LIMIT = 100;
/** The facets a server search can count. */
export const SEARCH_FACETS: readonly ServerFacet[] = ['registryType', 'transport', 'trustLevel', 'health', 'namespace', 'approved'];

/** `facets=all`: every facet. */
export const ALL_FACETS = 'all';

export interface ParsedSearchQuery {
  q: string;
  limit: number;
  cursor?: string;
  filters: SearchFilters;
  facets: ServerFacet[];
}

/** A query value as one string: the last of a repeated parameter; undefined when absent or not text. */
export const lastValue = (value: unknown): string | undefined =>
  Array.isArray(value) ? (value.at(-1) as string | undefined) : typeof value === 'string' ? value : undefined;

/**
 * `GET /api/v1/search` and `/api/v1/tools/search` query strings. Unknown parameters are ignored
 * (as the official API does); a malformed known one is a 400 naming it. Visibility is applied
 * afterwards and can only narrow these filters.
 */
export function parseSearchQuery(query: Record<string, unknown>): ParsedSearchQuery {
  const errors: ErrorItem[] = [];
  const q = lastValue(query['q']) ?? '';
  if (q.length > MAX_QUERY_LENGTH) errors.push({ message: `at most ${MAX_QUERY_LENGTH} characters`, location: 'query.q' });

  let limit = DEFAULT_SEARCH_LIMIT;
  const rawLimit = lastValue(query['limit']);
  if (rawLimit !== undefined) {
    limit = Number(rawLimit);
    if (!/^\d+$/.test(rawLimit) || limit < 1 || limit > MAX_SEARCH_LIMIT) errors.push({ message: `an integer from 1 to ${MAX_SEARCH_LIMIT}`, location: 'query.limit', value: rawLimit });
  }

  const filters: SearchFilters = {};
  const registryType = lastValue(query['registryType']);
  if (registryType) filters.registryType = registryType;
  const transport = lastValue(query['transport']);
  if (transport) filters.transport = transport;
  const namespace = lastValue(query['namespace']);
  if (namespace) filters.namespace = namespace;
  const minTrust = lastValue(query['minTrust']);
  if (minTrust !== undefined) {
    if ((TRUST_LEVELS as readonly string[]).includes(minTrust)) filters.minTrust = minTrust as TrustLevel;
    else errors.push({ message: `one of ${TRUST_LEVELS.join(', ')}`, location: 'query.minTrust', value: minTrust });
  }
  const health = lastValue(query['health']);
  if (health !== undefined) {
    if ((HEALTH_STATUSES as readonly string[]).includes(health)) filters.health = health as HealthStatus;
    else errors.push({ message: `one of ${HEALTH_STATUSES.join(', ')}`, location: 'query.health', value: health });
  }
  const approved = lastValue(query['approved']);
  if (approved !== undefined) {
    if (approved === 'true' || approved === 'false') filters.approved = approved === 'true';
    else errors.push({ message: 'true or false', location: 'query.approved', value: approved });
  }
  const latest = lastValue(query['latestOnly']) ?? lastValue(query['version']);
  if (latest === 'true' || latest === 'latest') filters.latestOnly = true;

  // Facets on request, as in Meilisearch (`facets`), Typesense (`facet_by`) and Algolia: counting
  // them means visiting every match, which a page alone does not need (at 10,000 servers they
  // were a third of an in-process search; bench/catalog prints both).
  let facets: ServerFacet[] = [];
  const rawFacets = lastValue(query['facets']);
  if (rawFacets !== undefined) {
    const asked = rawFacets.split(',').map((f) => f.trim()).filter(Boolean);
    const unknown = asked.filter((f) => f !== ALL_FACETS && !(SEARCH_FACETS as readonly string[]).includes(f));
    if (unknown.length > 0) errors.push({ message: `facets are ${ALL_FACETS} or a list of ${SEARCH_FACETS.join(', ')}`, location: 'query.facets', value: unknown.join(',') });
    facets = asked.includes(ALL_FACETS) ? [...SEARCH_FACETS] : asked.filter((f): f is ServerFacet => (SEARCH_FACETS as readonly string[]).includes(f));
  }
  if (errors.length > 0) throw new ToolportError('invalid', 'INVALID_SEARCH_QUERY', `invalid search parameters: ${errors.map((e) => e.location).join(', ')}`, errors);
  const cursor = lastValue(query['cursor']);
  return { q: q.trim(), limit, ...(cursor ? { cursor } : {}), filters, facets };
}
