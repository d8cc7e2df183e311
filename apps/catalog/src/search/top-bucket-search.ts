import { accumulate } from './accumulate';
import { FIELD_BITS, FIELD_MASK, tierEnd } from './posting-lists';
import { type PlannedWord, type RankKey, rankedAfter, type Scratch } from './search-scratch';
import type { CompiledFilter } from './slot-attributes';
import type { IndexedDocument, TextIndex } from './text-index';
import type { RankedTopK } from './top-k';

/** A word's best-scoring compacted segment: one derivation's postings in its best tier. */
interface TopSegment {
  from: number;
  to: number;
  /** The word's score for the documents in it, computed as text-search.ts's scan computes it. */
  score: number;
}

/**
 * Several words and no facets (tool search, server search without facets): "list branches" over a
 * million tools touched every tool naming either word (~130,000 postings, ~7 ms) to rank a page
 * whose hits all contain both words in their best field. A document's relevance is the sum of its
 * words' best scores times matched/words, so a document in every word's best segment (the top
 * bucket) scores the highest sum there is, and any other compacted document scores strictly less.
 * When more documents of the top bucket pass the filter and the cursor than the page holds, the
 * page is exactly the best of them (ties broken as always: trust, health, id), found by
 * intersecting those segments alone. Documents added since the last compaction (delta lists, not
 * tier-ordered) are scored in full first, as text-search.ts would.
 *
 * Exactness with text-search.ts, which serves the next page when this path declines: both sum a
 * document's word scores in word order from each word's best (accumulate.ts), so a bucket member
 * has bit for bit the relevance text-search.ts gives it and cursors compare across the paths.
 * A word whose best score is reached by two derivations is declined (its bucket would be a union).
 *
 * Returns null when it cannot decide the page (the caller then scores every match). `total` is
 * an estimate (inclusion-exclusion over the words' document counts, scaled by the share of the
 * top bucket that passed the filter), as the API documents for searches that stop early.
 */
export function searchTopBucket<D extends IndexedDocument>(
  index: TextIndex<D>,
  scratch: Scratch,
  words: readonly PlannedWord[],
  filter: CompiledFilter,
  heap: RankedTopK,
  after: RankKey | null,
  limit: number,
): { total: number; more: boolean } | null {
  const segments: TopSegment[] = [];
  for (const word of words) {
    const segment = topSegment(index, word);
    if (segment === null) return null;
    segments.push(segment);
  }
  const { postings, docs, attributes } = index;
  const { trust, health } = attributes;
  const count = words.length;

  // 1. Documents added since the last compaction, scored in full.
  accumulate(index, scratch, words, 'delta');
  const { seen, acc, matched, fields, touched, touchedCount } = scratch;
  let bucketScore = 0;
  for (const segment of segments) bucketScore += segment.score;
  const bucketRel = (bucketScore * count) / count;
  const passes = (slot: number): boolean => attributes.matches(slot, filter, docs);
  let total = 0;
  // Matches at or above the bucket's relevance that may go on this page or a later one.
  let contenders = 0;
  for (let i = 0; i < touchedCount; i++) {
    const slot = touched[i]!;
    if (!passes(slot)) continue;
    total++;
    const rel = (acc[slot]! * matched[slot]!) / count;
    if (after !== null && !rankedAfter(rel, slot, after, trust, health, docs)) continue;
    if (rel >= bucketRel) contenders++;
    heap.offer(rel, slot);
  }

  // 2. The top bucket: compacted documents in every word's best segment, smallest segment first.
  const order = segments.map((_, w) => w).sort((a, b) => segments[a]!.to - segments[a]!.from - (segments[b]!.to - segments[b]!.from));
  const data = postings.baseData;
  const stamp = scratch.nextStamp();
  let members = 0;
  let passed = 0;
  for (let k = 0; k < order.length; k++) {
    const { from, to } = segments[order[k]!]!;
    const last = k === order.length - 1;
    for (let i = from; i < to; i++) {
      const slot = data[i]! >>> FIELD_BITS;
      if (k === 0) {
        seen[slot] = stamp;
        matched[slot] = 1;
        continue;
      }
      if (seen[slot] !== stamp || matched[slot] !== k) continue;
      matched[slot] = k + 1;
      if (!last) continue;
      members++;
      if (!passes(slot)) continue;
      passed++;
      if (after !== null && !rankedAfter(bucketRel, slot, after, trust, health, docs)) continue;
      contenders++;
      // Highlighting is told every field may match: which derivations a member also holds is unknown here.
      fields[slot] = FIELD_MASK;
      heap.offer(bucketRel, slot);
    }
  }
  if (contenders <= limit) return null;

  let union = 0;
  let largest = 0;
  for (const word of words) {
    let frequency = 0;
    for (const term of word.terms) frequency += postings.length(term);
    union += frequency;
    largest = Math.max(largest, frequency);
  }
  const estimate = Math.max(largest, union - (count - 1) * members) * (members === 0 ? 1 : passed / members);
  return { total: Math.min(index.live, Math.max(total + passed, Math.round(estimate))), more: true };
}

/**
 * The compacted postings of the word's best derivation in its best tier, or null when no
 * derivation has compacted postings or two reach the same best score.
 */
function topSegment<D extends IndexedDocument>(index: TextIndex<D>, word: PlannedWord): TopSegment | null {
  const { postings, maskWeight, tierOf } = index;
  const data = postings.baseData;
  let top: TopSegment | null = null;
  let tied = false;
  for (let e = 0; e < word.terms.length; e++) {
    const term = word.terms[e]!;
    if (term >= postings.baseTerms) continue;
    const from = postings.baseOffsets[term]!;
    const end = postings.baseOffsets[term + 1]!;
    if (from === end) continue;
    // As accumulate.ts computes it: (idf × factor) × field weight.
    const score = word.idf * word.factors[e]! * maskWeight[data[from]! & FIELD_MASK]!;
    if (top !== null && score < top.score) continue;
    if (top !== null && score === top.score) {
      tied = true;
      continue;
    }
    top = { from, to: tierEnd(data, from, end, tierOf[data[from]! & FIELD_MASK]!, tierOf), score };
    tied = false;
  }
  return tied ? null : top;
}
