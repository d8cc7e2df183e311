import { HEALTH_STATUSES, TRUST_LEVELS } from '@toolport/contracts';
import type { SearchFilters } from './search-index';
import { type FieldSpec, type IndexedDocument, TextIndex } from './text-index';
import { type RankKey, searchText, type TextQuery, type TextResult } from './text-search';
import { queryWords } from './text-tokenizer';

/*
 * The shortcuts of searchText (one word read by tiers, the top bucket of several words, several
 * words read by tiers down to a threshold) must give
 * the very page that scoring every match gives, cursors included. Randomized against the
 * exhaustive path over corpora made of few words, so that ties, several tiers per word, prefix and
 * typo derivations, removed and re-indexed documents and uncompacted (delta) documents all occur.
 */

interface Doc extends IndexedDocument {
  name: string;
  params: string[];
  description: string;
}

const FIELDS: Array<FieldSpec<Doc>> = [
  { name: 'name', weight: 10, read: (d) => d.name },
  { name: 'params', weight: 5, read: (d) => d.params },
  { name: 'description', weight: 4, read: (d) => d.description },
];

const VOCABULARY = ['list', 'branches', 'branch', 'diff', 'merge', 'pods', 'files', 'git', 'weather', 'forecast', 'listing', 'commits', 'records', 'recorder'];
const QUERY_WORDS = [...VOCABULARY, 'brnaches', 'forcast', 'lis', 'rec', 'comits', 'nothinghere'];

/** A small deterministic generator (mulberry32) so a failure can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function corpus(seed: number, size: number): { index: TextIndex<Doc>; rnd: () => number } {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const words = (min: number, max: number): string[] => Array.from({ length: min + Math.floor(rnd() * (max - min + 1)) }, () => pick(VOCABULARY));
  const doc = (i: number, generation: number): Doc => ({
    id: `io.example.ns${i % 5}/server-${String(i).padStart(4, '0')}@1.0.0#t${generation}`,
    name: words(1, 2).join('_'),
    params: words(0, 2),
    description: words(2, 6).join(' '),
    namespace: `io.example.ns${i % 5}`,
    trustLevel: rnd() < 0.2 ? null : pick(TRUST_LEVELS),
    health: rnd() < 0.3 ? null : pick(HEALTH_STATUSES),
    approved: rnd() < 0.7,
    status: rnd() < 0.9 ? 'active' : 'deprecated',
    isLatest: rnd() < 0.8,
  });
  const index = new TextIndex<Doc>({ fields: FIELDS });
  // Half compacted (tier-ordered base lists), then the rest as delta, some removed or re-indexed.
  for (let i = 0; i < size / 2; i++) index.upsert(doc(i, 0));
  index.compactNow();
  for (let i = size / 2; i < size; i++) index.upsert(doc(i, 0));
  for (let i = 0; i < size / 20; i++) index.remove(doc(Math.floor(rnd() * size), 0).id);
  for (let i = 0; i < size / 20; i++) {
    const n = Math.floor(rnd() * size);
    if (index.get(doc(n, 0).id) !== undefined) index.upsert({ ...doc(n, 1), id: doc(n, 0).id });
  }
  if (seed % 2 === 0) {
    // A background tidy: every list compacted, removed documents' slots left as holes.
    const steps = index.tidySteps();
    while (!steps.next().done);
  }
  return { index, rnd };
}

const page = (result: TextResult<Doc>) => ({ hits: result.hits.map((h) => `${h.doc.id} ${h.rel}`), more: result.more });

describe('searchText shortcuts give the pages of scoring every match', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`corpus ${seed}: same hits, relevances, "more" and cursors, filters and page sizes varied`, () => {
      const { index, rnd } = corpus(seed, 1_000);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
      const paths = new Map<string, number>();
      for (let q = 0; q < 150; q++) {
        const text = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(QUERY_WORDS)).join(' ');
        const filters: SearchFilters = {};
        if (rnd() < 0.3) filters.approved = true;
        if (rnd() < 0.2) filters.minTrust = pick(TRUST_LEVELS);
        if (rnd() < 0.2) filters.namespace = `io.example.ns${Math.floor(rnd() * 5)}`;
        if (rnd() < 0.2) filters.latestOnly = true;
        const limit = pick([1, 3, 10, 25]);
        let after: RankKey | null = null;
        for (let p = 0; p < 4; p++) {
          const query: TextQuery = { words: queryWords(text), filters, limit, after, facets: [] };
          const fast = searchText(index, query);
          const every: TextResult<Doc> = searchText(index, { ...query, exhaustive: true });
          paths.set(fast.path, (paths.get(fast.path) ?? 0) + 1);
          expect({ text, filters, limit, page: p, ...page(fast) }).toEqual({ text, filters, limit, page: p, ...page(every) });
          if (!every.more) {
            expect(fast.total).toBe(every.total);
            break;
          }
          after = every.hits[every.hits.length - 1]!.key;
        }
      }
      // The shortcuts were exercised, not just declined.
      expect(paths.get('top-bucket') ?? 0).toBeGreaterThan(5);
      expect(paths.get('one-word') ?? 0).toBeGreaterThan(5);
      expect(paths.get('threshold') ?? 0).toBeGreaterThan(5);
    });
  }

  it('takes the top bucket when more documents hold every word in their best field than the page shows, and estimates the total', () => {
    const index = new TextIndex<Doc>({ fields: FIELDS });
    const base = { params: [], namespace: 'io.example', trustLevel: null, health: null, approved: true, status: 'active' as const, isLatest: true };
    for (let i = 0; i < 200; i++) index.upsert({ ...base, id: `a${String(i).padStart(3, '0')}`, name: 'list_branches', description: 'lists branches' });
    for (let i = 0; i < 300; i++) index.upsert({ ...base, id: `b${String(i).padStart(3, '0')}`, name: 'list_pods', description: 'lists pods of branches' });
    index.compactNow();
    const result = searchText(index, { words: ['list', 'branches'], filters: {}, limit: 10, after: null, facets: [] });
    expect(result.path).toBe('top-bucket');
    expect(result.hits.map((h) => h.doc.id)).toEqual(Array.from({ length: 10 }, (_, i) => `a${String(i).padStart(3, '0')}`));
    expect(result.more).toBe(true);
    // 500 match either word; the estimate may be off but stays within what exists.
    expect(result.total).toBeGreaterThanOrEqual(200);
    expect(result.total).toBeLessThanOrEqual(500);
    const exact = searchText(index, { words: ['list', 'branches'], filters: {}, limit: 10, after: null, facets: [], exhaustive: true });
    expect(exact.path).toBe('every-match');
    expect(exact.total).toBe(500);
  });
});
