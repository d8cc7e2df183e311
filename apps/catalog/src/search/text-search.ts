import type { SearchFilters, ServerFacet } from './search-index';
import type { IndexedDocument, TextIndex } from './text-index';
import { accumulate } from './accumulate';
import { searchOneWord } from './one-word-search';
import { type PlannedWord, type RankKey, rankedAfter, type Scratch, scratchOf } from './search-scratch';
import { HighestPriorities, RankedTopK } from './top-k';
import { searchByThreshold } from './threshold-search';
import { searchTopBucket } from './top-bucket-search';

export type { RankKey } from './search-scratch';

export interface TextQuery {
  words: readonly string[];
  filters: SearchFilters;
  limit: number;
  after: RankKey | null;
  facets: readonly ServerFacet[];
  /** Score every match even when a shortcut could settle the page (tests compare the two). */
  exhaustive?: boolean;
}

export interface TextResult<D> {
  /** `fields`: mask of the fields where a query word occurs (0 for an empty query). */
  hits: Array<{ doc: D; rel: number; key: RankKey; fields: number }>;
  total: number;
  /** Whether matches remain after the last hit. */
  more: boolean;
  facets: Partial<Record<ServerFacet, Record<string, number>>>;
  /** The dictionary terms the query matched (exact, typo and prefix), for highlighting. */
  matchedTerms: Set<string>;
  /** How the page was found: one word read by tiers, the top bucket of several words, several words read by tiers down to a threshold, or every match scored. */
  path: 'one-word' | 'top-bucket' | 'threshold' | 'every-match';
}

/** Score factors: an exact word, a word found by prefix, one typo, two typos. */
const EXACT = 1;
const PREFIX = 0.9;
/**
 * Typos weigh more than fields (Meilisearch's rule order: typo before attribute): 0.1 stays
 * below the lowest/highest field weight ratio (1.5/10), so an exact match in a tool description
 * outranks a one-typo match in a name.
 */
const TYPO = [1, 0.1, 0.01];
/** Derivations kept per query word (Meilisearch caps them too): the most frequent win. */
const MAX_PREFIX_TERMS = 50;
const MAX_TYPO_TERMS = 30;
/** Words in more than this share of the documents are dropped when the query has rarer ones. */
const STOP_FRACTION = 0.5;

export function searchText<D extends IndexedDocument>(index: TextIndex<D>, query: TextQuery): TextResult<D> {
  const filter = index.attributes.compile(query.filters);
  const facets = index.attributes.newFacetCounter(query.facets);
  const matchedTerms = new Set<string>();
  if (filter === null) return { hits: [], total: 0, more: false, facets: facets.result(), matchedTerms, path: 'every-match' };
  const { docs, attributes } = index;
  const { trust, health } = attributes;
  const emptyPage = () => new RankedTopK(query.limit, trust, health, docs, attributes.order);
  let heap = emptyPage();
  const after = query.after;
  const counting = facets.active;
  const { all, any, extra } = filter;
  const packed = attributes.packed;
  let total = 0;
  let remaining = 0;
  let scratch: Scratch | null = null;
  let candidates = index.next;
  let words = 0;
  if (query.words.length > 0) {
    scratch = scratchOf(index);
    const plan = planWords(index, query.words, matchedTerms);
    words = plan.counted;
    const shortcuts = query.exhaustive !== true && !counting;
    if (plan.words.length === 1 && words === 1 && shortcuts) {
      const one = searchOneWord(index, scratch, plan.words[0]!, filter, heap, after);
      return finish(index, heap, scratch, one.total, one.more, facets.result(), matchedTerms, 'one-word');
    }
    if (plan.words.length >= 2 && plan.words.length === words && shortcuts) {
      const bucket = searchTopBucket(index, scratch, plan.words, filter, heap, after, query.limit);
      if (bucket !== null) return finish(index, heap, scratch, bucket.total, bucket.more, facets.result(), matchedTerms, 'top-bucket');
      // Declined: the next path starts from an empty page.
      heap = emptyPage();
    }
    if (plan.words.length >= 2 && shortcuts) {
      const read = searchByThreshold(index, scratch, plan.words, words, filter, heap, after, query.limit);
      if (read !== null) return finish(index, heap, scratch, read.total, read.more, facets.result(), matchedTerms, 'threshold');
      // Declined: every match is scored below, from an empty page.
      heap = emptyPage();
    }
    accumulate(index, scratch, plan.words, 'all');
    candidates = scratch.touchedCount;
  }
  const touched = scratch?.touched;
  const acc = scratch?.acc;
  const matched = scratch?.matched;
  // One pass over the candidates (the touched slots, or every slot for an empty query): filter,
  // count (total and facets), keep the page's best. Removed slots have a zero packed word.
  for (let i = 0; i < candidates; i++) {
    const slot = touched === undefined ? i : touched[i]!;
    const word = packed[slot]!;
    if ((word & all) !== all || (word & any) === 0) continue;
    if (extra && !attributes.matchesExtra(slot, filter, docs)) continue;
    total++;
    if (counting) facets.count(slot, docs);
    // Coordination: a document matching 3 of 4 words keeps 3/4 of its score.
    const rel = touched === undefined ? 0 : (acc![slot]! * matched![slot]!) / words;
    if (after !== null && !rankedAfter(rel, slot, after, trust, health, docs)) continue;
    remaining++;
    heap.offer(rel, slot);
  }

  return finish(index, heap, scratch, total, remaining > heap.size, facets.result(), matchedTerms, 'every-match');
}

function finish<D extends IndexedDocument>(index: TextIndex<D>, heap: RankedTopK, scratch: Scratch | null, total: number, more: boolean, facets: TextResult<D>['facets'], matchedTerms: Set<string>, path: TextResult<D>['path']): TextResult<D> {
  const { docs } = index;
  const { trust, health } = index.attributes;
  const hits = heap.drain().map(({ slot, rel }) => ({
    doc: docs[slot]!,
    rel,
    key: { rel, trust: trust[slot]!, health: health[slot]!, id: docs[slot]!.id },
    fields: scratch === null ? 0 : scratch.fields[slot]!,
  }));
  return { hits, total, more, facets, matchedTerms, path };
}

/**
 * The derivations (exact, prefix, typos) of each query word and its idf. A word found in more
 * than STOP_FRACTION of the documents is left out when the query has a rarer word: its idf
 * makes it worth almost nothing, yet scanning it costs as much as listing the whole index. It
 * is the embedded counterpart of Meilisearch's `frequency` matching strategy. `counted` is how
 * many words the coordination factor divides by (left-out words do not count).
 */
function planWords<D extends IndexedDocument>(index: TextIndex<D>, words: readonly string[], matchedTerms: Set<string>): { words: PlannedWord[]; counted: number } {
  const postings = index.postings;
  const documents = Math.max(index.live, 1);
  const derived = words.map((word, w) => {
    const { terms, factors } = derive(index, word, w === words.length - 1);
    let frequency = 0;
    for (const term of terms) frequency += postings.length(term);
    return { terms, factors, frequency: Math.min(frequency, documents) };
  });
  const common = documents * STOP_FRACTION;
  const anyRare = derived.some((word) => word.terms.length > 0 && word.frequency <= common);
  const planned: PlannedWord[] = [];
  let counted = 0;
  for (const { terms, factors, frequency } of derived) {
    if (anyRare && frequency > common) continue;
    counted++;
    if (terms.length === 0) continue;
    for (const term of terms) matchedTerms.add(index.dict.terms[term]!);
    // BM25's idf over the word's matches: rare words decide, "a", "the", "server" barely count.
    planned.push({ terms, factors, idf: Math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5)) });
  }
  return { words: planned, counted };
}

/** The dictionary terms a query word stands for, with their score factors. */
function derive<D extends IndexedDocument>(index: TextIndex<D>, word: string, last: boolean): { terms: number[]; factors: number[] } {
  const factorOf = new Map<number, number>();
  const exact = index.dict.idOf(word);
  if (exact !== undefined) factorOf.set(exact, EXACT);
  const postings = index.postings;
  const maxTypos = word.length >= 9 ? 2 : word.length >= 5 ? 1 : 0;
  if (maxTypos > 0) {
    // Fewer typos first, then the more frequent term: 1e9 documents is beyond any index here.
    const typos = new HighestPriorities(MAX_TYPO_TERMS);
    index.dict.forEachTypo(word, maxTypos, (term, count) => {
      const frequency = postings.length(term);
      if (frequency > 0) typos.offer(term, (2 - count) * 1e9 + frequency);
    });
    typos.forEach((term, priority) => factorOf.set(term, TYPO[2 - Math.floor(priority / 1e9)]!));
  }
  if (last) {
    const prefixed = new HighestPriorities(MAX_PREFIX_TERMS);
    index.dict.forEachWithPrefix(word, (term) => {
      const frequency = postings.length(term);
      if (term !== exact && frequency > 0) prefixed.offer(term, frequency);
    });
    prefixed.forEach((term) => factorOf.set(term, Math.max(factorOf.get(term) ?? 0, PREFIX)));
  }
  return { terms: [...factorOf.keys()], factors: [...factorOf.values()] };
}
