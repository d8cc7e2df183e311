import { FIELD_BITS, FIELD_MASK, tierEnd } from './posting-lists';
import { type PlannedWord, type RankKey, rankedAfter, type Scratch } from './search-scratch';
import type { CompiledFilter } from './slot-attributes';
import type { IndexedDocument, TextIndex } from './text-index';
import type { RankedTopK } from './top-k';

/**
 * One counted word and no facets, the common case ("weather", "diff"): a document's relevance is
 * its best derivation × field weight, so reading the tier-ordered base lists from the highest
 * score down, a document's first posting gives its final relevance, and reading can stop once
 * the page is full and the next tier scores below its worst hit: exact order without visiting
 * every match. The documents added since the last compaction (delta lists, not tier-ordered)
 * are scored first, in full. When reading stops early, `total` is extrapolated from the share of
 * postings read so far that passed the filter.
 */
export function searchOneWord<D extends IndexedDocument>(index: TextIndex<D>, scratch: Scratch, word: PlannedWord, filter: CompiledFilter, heap: RankedTopK, after: RankKey | null): { total: number; more: boolean } {
  const { postings, maskWeight, tierOf, tierWeight, docs, attributes } = index;
  const { trust, health, packed } = attributes;
  const { seen, best, fields, touched } = scratch;
  const stamp = scratch.nextStamp();
  let total = 0;
  let remaining = 0;
  const consider = (slot: number, rel: number): void => {
    const bits = packed[slot]!;
    if ((bits & filter.all) !== filter.all || (bits & filter.any) === 0) return;
    if (filter.extra && !attributes.matchesExtra(slot, filter, docs)) return;
    total++;
    if (after !== null && !rankedAfter(rel, slot, after, trust, health, docs)) return;
    remaining++;
    heap.offer(rel, slot);
  };
  let touchedCount = 0;
  word.terms.forEach((term, e) => {
    const list = postings.delta[term];
    const scale = word.idf * word.factors[e]!;
    for (let i = 0, end = list === undefined ? 0 : postings.deltaLength[term]!; i < end; i++) {
      const posting = list![i]!;
      const slot = posting >>> FIELD_BITS;
      const score = scale * maskWeight[posting & FIELD_MASK]!;
      if (seen[slot] !== stamp) {
        seen[slot] = stamp;
        best[slot] = score;
        fields[slot] = posting & FIELD_MASK;
        touched[touchedCount++] = slot;
      } else {
        if (score > best[slot]!) best[slot] = score;
        fields[slot] |= posting & FIELD_MASK;
      }
    }
  });
  for (let i = 0; i < touchedCount; i++) consider(touched[i]!, best[touched[i]!]!);

  const segments: Array<{ from: number; to: number; rel: number }> = [];
  word.terms.forEach((term, e) => {
    if (term >= postings.baseTerms) return;
    const data = postings.baseData;
    let from = postings.baseOffsets[term]!;
    const end = postings.baseOffsets[term + 1]!;
    for (let tier = 0; tier < tierWeight.length && from < end; tier++) {
      const lo = tierEnd(data, from, end, tier, tierOf);
      if (lo > from) segments.push({ from, to: lo, rel: word.idf * word.factors[e]! * tierWeight[tier]! });
      from = lo;
    }
  });
  segments.sort((a, b) => b.rel - a.rel);
  const data = postings.baseData;
  let read = 0;
  let unread = 0;
  for (let k = 0; k < segments.length; k++) {
    const { from, to, rel } = segments[k]!;
    if (heap.full && rel < heap.worstRel) {
      for (let rest = k; rest < segments.length; rest++) unread += segments[rest]!.to - segments[rest]!.from;
      break;
    }
    read += to - from;
    for (let i = from; i < to; i++) {
      const slot = data[i]! >>> FIELD_BITS;
      if (seen[slot] === stamp) {
        fields[slot] |= data[i]! & FIELD_MASK;
        continue;
      }
      seen[slot] = stamp;
      fields[slot] = data[i]! & FIELD_MASK;
      consider(slot, rel);
    }
  }
  if (unread === 0) return { total, more: remaining > heap.size };
  // Derivations overlap, so the extrapolation can overshoot: never more than the documents.
  return { total: Math.min(index.live, total + Math.round((unread * total) / Math.max(read, 1))), more: true };
}

