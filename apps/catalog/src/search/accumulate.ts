import { FIELD_BITS, FIELD_MASK } from './posting-lists';
import type { PlannedWord, Scratch } from './search-scratch';
import type { IndexedDocument, TextIndex } from './text-index';

/**
 * Scores every document containing a planned word: per word, the best of its derivations
 * weighted by field and by the word's rarity; per document, the sum over words, in `acc`, with
 * the number of words matched in `matched`. The touched slots are listed in scratch.touched.
 * `lists`: every posting, or only the documents added since the last compaction (delta lists).
 *
 * The sum is always ((0 + best of word 1) + best of word 2) + …, whatever order the derivations
 * come in: raising a word's score by the difference (acc += better - best) left relevances that
 * differ in the last bit for documents of equal score, which then ranked by that noise instead of
 * trust, health and id, and broke cursors between the search paths (text-search.spec.ts found it).
 */
export function accumulate<D extends IndexedDocument>(index: TextIndex<D>, scratch: Scratch, words: readonly PlannedWord[], lists: 'all' | 'delta'): void {
  const postings = index.postings;
  const queryStamp = scratch.nextStamp();
  scratch.touchedCount = 0;
  for (const { terms, factors, idf } of words) {
    const wordStamp = scratch.nextStamp();
    for (let e = 0; e < terms.length; e++) {
      const term = terms[e]!;
      const scale = idf * factors[e]!;
      if (lists === 'all' && term < postings.baseTerms) scan(scratch, index.maskWeight, postings.baseData, postings.baseOffsets[term]!, postings.baseOffsets[term + 1]!, scale, queryStamp, wordStamp);
      const delta = postings.delta[term];
      if (delta !== undefined) scan(scratch, index.maskWeight, delta, 0, postings.deltaLength[term]!, scale, queryStamp, wordStamp);
    }
  }
}

/** The hot loop: one posting list of one derivation. */
function scan(scratch: Scratch, maskWeight: Float64Array, list: Int32Array, from: number, to: number, scale: number, queryStamp: number, wordStamp: number): void {
  const { seen, wordSeen, acc, before, best, matched, fields, touched } = scratch;
  let touchedCount = scratch.touchedCount;
  for (let i = from; i < to; i++) {
    const posting = list[i]!;
    const slot = posting >>> FIELD_BITS;
    const mask = posting & FIELD_MASK;
    const score = scale * maskWeight[mask]!;
    if (seen[slot] !== queryStamp) {
      seen[slot] = queryStamp;
      acc[slot] = 0;
      matched[slot] = 0;
      fields[slot] = 0;
      touched[touchedCount++] = slot;
    }
    fields[slot] |= mask;
    if (wordSeen[slot] !== wordStamp) {
      wordSeen[slot] = wordStamp;
      before[slot] = acc[slot]!;
      best[slot] = score;
      acc[slot] = before[slot]! + score;
      matched[slot]++;
    } else if (score > best[slot]!) {
      best[slot] = score;
      acc[slot] = before[slot]! + score;
    }
  }
  scratch.touchedCount = touchedCount;
}
