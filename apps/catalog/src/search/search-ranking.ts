import { type HealthStatus, TRUST_LEVELS, type TrustLevel } from '@toolport/contracts';
import type { SearchFilters } from './search-index';

/**
 * Ranking and filtering numbers both adapters share, so that the embedded engine and
 * Meilisearch (which stores them as `trustRank`/`healthRank` and sorts with custom ranking
 * rules) order equal-relevance results the same way.
 */

/** verified > passed > needs-review > rejected > not scanned yet (null). */
export function trustRank(level: TrustLevel | null): number {
  return level === null ? 0 : TRUST_LEVELS.indexOf(level) + 1;
}

export const TRUST_BY_RANK: ReadonlyArray<TrustLevel | null> = [null, ...TRUST_LEVELS];

/**
 * healthy > degraded > unknown (null: stdio-only, or not probed yet) > unprobeable > down >
 * blocked. Unknown sits above the bad states: a package that runs locally has no endpoint to be
 * down, and must not rank below one that is.
 */
const HEALTH_ORDER: ReadonlyArray<HealthStatus | null> = ['blocked', 'down', 'unprobeable', null, 'degraded', 'healthy'];

export function healthRank(status: HealthStatus | null): number {
  return HEALTH_ORDER.indexOf(status);
}

export const HEALTH_BY_RANK = HEALTH_ORDER;

export type DocumentStatus = 'active' | 'deprecated' | 'deleted';
export const STATUSES: readonly DocumentStatus[] = ['active', 'deprecated', 'deleted'];
/** What a search includes when the caller does not say (deleted versions are hidden). */
export const DEFAULT_STATUSES: readonly DocumentStatus[] = ['active', 'deprecated'];

export function statusesOf(filters: SearchFilters): readonly DocumentStatus[] {
  return filters.statuses ?? DEFAULT_STATUSES;
}

/**
 * Searchable fields in ranking order with their weights (the issue: name and title > tool
 * names > description > tool descriptions; keywords and package identifiers sit between tool
 * names and description). Meilisearch uses the order, the embedded engine the weights.
 */
export const SERVER_FIELDS = [
  { name: 'serverName', weight: 10 },
  { name: 'title', weight: 10 },
  { name: 'toolNames', weight: 6 },
  { name: 'keywords', weight: 5 },
  { name: 'packageIdentifiers', weight: 5 },
  { name: 'description', weight: 4 },
  { name: 'toolDescriptions', weight: 2 },
] as const;

/**
 * Tool search also reads the server's name at the lowest weight: "a git server that can diff
 * branches" should prefer the diff tool of a git server over a diff tool of an image server.
 */
export const TOOL_FIELDS = [
  { name: 'toolName', weight: 10 },
  { name: 'title', weight: 10 },
  { name: 'parameterNames', weight: 5 },
  { name: 'description', weight: 4 },
  { name: 'serverName', weight: 1.5 },
] as const;

/** Facet values returned per facet at most (Meilisearch's `maxValuesPerFacet` default). */
export const MAX_FACET_VALUES = 100;

/**
 * The `max` largest counts (ties by value) as an object in that order, zero counts left out.
 * `values[i]` is counted by `counts[i]`. A bounded heap, so ten thousand namespaces cost
 * O(n log max), not a sort of them all per query (measured: 10,000 namespaces, ~4,000 matched
 * per query, 290 µs with string tie-breaks, see SlotAttributes' alphabetical ranks).
 */
export function topFacetValues(values: ReadonlyArray<string | null>, counts: ArrayLike<number>, max = MAX_FACET_VALUES, alphabetical?: ArrayLike<number>): Record<string, number> {
  if (alphabetical !== undefined && Math.min(values.length, counts.length) > 4 * max) return topByThreshold(values, counts, max, alphabetical);
  // Root = the entry that would be dropped first: smallest count, then greatest value.
  // `alphabetical[i]` (the value's rank in sorted order), when given, spares string comparisons.
  const worse =
    alphabetical === undefined
      ? (a: number, b: number): boolean => counts[a]! < counts[b]! || (counts[a] === counts[b] && values[a]! > values[b]!)
      : (a: number, b: number): boolean => counts[a]! < counts[b]! || (counts[a] === counts[b] && alphabetical[a]! > alphabetical[b]!);
  const heap: number[] = [];
  const limit = Math.min(values.length, counts.length);
  for (let i = 0; i < limit; i++) {
    if (counts[i] === 0 || values[i] === null) continue;
    if (heap.length < max) {
      heap.push(i);
      for (let at = heap.length - 1; at > 0; ) {
        const parent = (at - 1) >> 1;
        if (!worse(heap[at]!, heap[parent]!)) break;
        [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
        at = parent;
      }
    } else if (worse(heap[0]!, i)) {
      heap[0] = i;
      for (let at = 0; ; ) {
        const left = 2 * at + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && worse(heap[right]!, heap[left]!) ? right : left;
        if (!worse(heap[child]!, heap[at]!)) break;
        [heap[at], heap[child]] = [heap[child]!, heap[at]!];
        at = child;
      }
    }
  }
  heap.sort((a, b) => (worse(a, b) ? 1 : -1));
  const out: Record<string, number> = {};
  for (const i of heap) out[values[i]!] = counts[i]!;
  return out;
}

/**
 * topFacetValues for many values with alphabetical ranks (namespaces): the `max`-th largest count
 * found by selection, then only the values at or above it sorted. O(n) rather than the heap's
 * O(n log max) with a comparison per step: the namespace facet was 15% of a server search over
 * 10,000 servers in ~1,000 namespaces, most of them tied.
 */
function topByThreshold(values: ReadonlyArray<string | null>, counts: ArrayLike<number>, max: number, alphabetical: ArrayLike<number>): Record<string, number> {
  const limit = Math.min(values.length, counts.length);
  const present = new Int32Array(limit);
  let n = 0;
  for (let i = 0; i < limit; i++) if (counts[i]! > 0 && values[i] !== null) present[n++] = i;
  let chosen: number[];
  if (n <= max) chosen = Array.from(present.subarray(0, n));
  else {
    const sample = new Float64Array(n);
    for (let j = 0; j < n; j++) sample[j] = counts[present[j]!]!;
    const threshold = kthLargest(sample, max);
    chosen = [];
    let tied = 0;
    for (let j = 0; j < n; j++) {
      const i = present[j]!;
      if (counts[i]! > threshold) chosen.push(i);
      else if (counts[i] === threshold) tied++;
    }
    if (tied > 0) {
      // The alphabetically first of the tied values, in one pass over the values in that order.
      const ranks = Math.max(values.length, alphabetical.length);
      const byRank = new Int32Array(ranks).fill(-1);
      for (let i = 0; i < limit; i++) byRank[alphabetical[i]!] = i;
      for (let r = 0; r < ranks && chosen.length < max; r++) {
        const i = byRank[r]!;
        if (i >= 0 && counts[i] === threshold && values[i] !== null) chosen.push(i);
      }
    }
  }
  chosen.sort((a, b) => counts[b]! - counts[a]! || alphabetical[a]! - alphabetical[b]!);
  const out: Record<string, number> = {};
  for (const i of chosen) out[values[i]!] = counts[i]!;
  return out;
}

/** The k-th largest value (1-based) of `a`, by quickselect; reorders `a`. */
function kthLargest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! > pivot) i++;
      while (a[j]! < pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return a[target]!;
  }
  return a[target]!;
}
