import { accumulate } from './accumulate';
import { FIELD_BITS, FIELD_MASK, tierEnd } from './posting-lists';
import { type PlannedWord, type RankKey, rankedAfter, type Scratch } from './search-scratch';
import type { CompiledFilter } from './slot-attributes';
import type { IndexedDocument, TextIndex } from './text-index';
import { HighestPriorities, type RankedTopK } from './top-k';

/** Query words this path takes; longer queries score every match (a slot array per word). */
export const MAX_THRESHOLD_WORDS = 4;
/** Segments per word it can number in its Uint16 per-slot arrays. */
const MAX_SEGMENTS = 0xfffe;

/** One derivation's compacted postings in one tier: every document in it scores `score` for its word. */
interface Segment {
  from: number;
  to: number;
  score: number;
}

/**
 * Several words and no facets, when the top bucket (top-bucket-search.ts) cannot settle the page:
 * "jira server 5" over 100,000 servers scored every server naming jira (~10,000) to rank a page
 * led by the few holding a number starting with 5. Reads the words' tier segments from the
 * highest score down, the threshold algorithm without random access (Fagin's NRA) at segment
 * granularity:
 * - a document's score for a word is the score of the first segment of that word it is found in
 *   (segments are read in descending order), so the read part gives every touched document a
 *   lower bound (its words so far, coordinated as if no other came);
 * - a document not touched yet can score at most the sum of the words' next unread segment
 *   scores, coordinated by how many words still have one;
 * - once `limit` touched documents, certainly after the cursor, have a lower bound strictly above
 *   that, no untouched document can reach the page: reading new documents stops, the unread
 *   segments are scanned only to complete the touched documents' scores (a cheap membership
 *   pass), and the page is the best of the touched documents, exactly as scoring every match
 *   would rank them.
 * Relevances are summed in word order from each word's best, as accumulate.ts sums them, so they
 * are equal bit for bit and cursors carry across the paths; float rounding is monotone, so a
 * partial sum never exceeds the full one and the bounds hold in floating point too.
 *
 * Returns null when it cannot decide (more than MAX_THRESHOLD_WORDS words, or whether matches
 * remain after the page is unknown); the caller then scores every match. `total` is exact when
 * every segment was read, else extrapolated from the share of read postings that passed.
 */
export function searchByThreshold<D extends IndexedDocument>(
  index: TextIndex<D>,
  scratch: Scratch,
  words: readonly PlannedWord[],
  counted: number,
  filter: CompiledFilter,
  heap: RankedTopK,
  after: RankKey | null,
  limit: number,
): { total: number; more: boolean } | null {
  if (words.length > MAX_THRESHOLD_WORDS || limit === 0) return null;
  const segments = words.map((word) => segmentsOf(index, word));
  if (segments.some((list) => list.length > MAX_SEGMENTS)) return null;
  const { postings, docs, attributes } = index;
  const { trust, health } = attributes;
  const passes = (slot: number): boolean => attributes.matches(slot, filter, docs);

  // 1. Documents added since the last compaction (delta lists, not tier-ordered): scored in full.
  accumulate(index, scratch, words, 'delta');
  const { seen, acc, matched, fields, touched } = scratch;
  const exact: number[] = [];
  for (let i = 0; i < scratch.touchedCount; i++) {
    const slot = touched[i]!;
    if (passes(slot)) exact.push((acc[slot]! * matched[slot]!) / counted, slot);
  }
  const deltaCount = scratch.touchedCount;

  // 2. Base segments, highest score first, until no untouched document can reach the page.
  const segmentOf = scratch.wordSegments(words.length);
  const stamp = scratch.nextStamp();
  const next = new Int32Array(words.length);
  const frontier = (w: number): number => (next[w]! < segments[w]!.length ? segments[w]![next[w]!]!.score : 0);
  const data = postings.baseData;
  let touchedCount = deltaCount;
  let read = 0;
  // Words found in documents: in all, and since the touched documents' bound was last computed.
  let gained = 0;
  let sinceCheck = 0;
  let threshold = Number.NEGATIVE_INFINITY;
  // On a first page, a bound without a pass over the touched documents: their lower bounds when
  // first found (one word each), which only rise afterwards.
  const firstFound = after === null ? new HighestPriorities(limit) : null;
  if (firstFound !== null) for (let i = 0; i < exact.length; i += 2) firstFound.offer(exact[i + 1]!, exact[i]!);
  let stopped = false;
  for (;;) {
    let w = -1;
    for (let v = 0; v < words.length; v++) if (next[v]! < segments[v]!.length && (w < 0 || frontier(v) > frontier(w))) w = v;
    if (w < 0) break;
    const { from, to, score } = segments[w]![next[w]!]!;
    const alone = (0 + score) / counted;
    const own = segmentOf[w]!;
    const number = ++next[w]!;
    read += to - from;
    for (let i = from; i < to; i++) {
      const slot = data[i]! >>> FIELD_BITS;
      if (seen[slot] !== stamp) {
        seen[slot] = stamp;
        for (let v = 0; v < words.length; v++) segmentOf[v]![slot] = 0;
        matched[slot] = 0;
        fields[slot] = 0;
        touched[touchedCount++] = slot;
        if (firstFound !== null && passes(slot)) firstFound.offer(slot, alone);
      }
      fields[slot] |= data[i]! & FIELD_MASK;
      if (own[slot] === 0) {
        own[slot] = number;
        matched[slot]++;
        gained++;
        sinceCheck++;
      }
    }
    if (firstFound?.full === true && firstFound.lowest > threshold) threshold = firstFound.lowest;
    const unseen = unseenBound(words.length, counted, frontier);
    if (unseen < threshold) {
      stopped = true;
      break;
    }
    // The touched documents' bound is recomputed (O(touched)) once a quarter of what is known is new.
    if (touchedCount - deltaCount > limit && sinceCheck >= Math.max(limit, gained / 4)) {
      threshold = pageThreshold(touched, deltaCount, touchedCount, exact, words.length, counted, segments, segmentOf, frontier, passes, limit, after, trust, health, docs);
      sinceCheck = 0;
      if (unseen < threshold) {
        stopped = true;
        break;
      }
    }
  }

  // 3. The unread segments complete the touched documents' scores (and highlight fields).
  let unread = 0;
  if (stopped) {
    for (let w = 0; w < words.length; w++) {
      const own = segmentOf[w]!;
      for (let s = next[w]!; s < segments[w]!.length; s++) {
        const { from, to } = segments[w]![s]!;
        unread += to - from;
        for (let i = from; i < to; i++) {
          const slot = data[i]! >>> FIELD_BITS;
          if (seen[slot] !== stamp) continue;
          fields[slot] |= data[i]! & FIELD_MASK;
          if (own[slot] === 0) {
            own[slot] = s + 1;
            matched[slot]++;
          }
        }
      }
    }
  }

  // 4. The page: the best of the touched documents, with their exact relevances.
  let total = 0;
  let remaining = 0;
  const offer = (rel: number, slot: number): void => {
    total++;
    if (after !== null && !rankedAfter(rel, slot, after, trust, health, docs)) return;
    remaining++;
    heap.offer(rel, slot);
  };
  for (let i = 0; i < exact.length; i += 2) offer(exact[i]!, exact[i + 1]!);
  for (let i = deltaCount; i < touchedCount; i++) {
    const slot = touched[i]!;
    if (passes(slot)) offer(relevance(slot, words.length, counted, segments, segmentOf, matched), slot);
  }
  if (!stopped) return { total, more: remaining > heap.size };
  if (remaining <= heap.size) return null;
  // Derivations overlap, so the extrapolation can overshoot: never more than the documents.
  const passedRead = total - exact.length / 2;
  return { total: Math.min(index.live, total + Math.round((unread * passedRead) / Math.max(read, 1))), more: true };
}

/** A word's compacted segments (derivation × tier), highest score first. */
function segmentsOf<D extends IndexedDocument>(index: TextIndex<D>, word: PlannedWord): Segment[] {
  const { postings, tierOf, tierWeight } = index;
  const data = postings.baseData;
  const out: Segment[] = [];
  for (let e = 0; e < word.terms.length; e++) {
    const term = word.terms[e]!;
    if (term >= postings.baseTerms) continue;
    let from = postings.baseOffsets[term]!;
    const end = postings.baseOffsets[term + 1]!;
    // As accumulate.ts computes it: (idf × factor) × field weight.
    const scale = word.idf * word.factors[e]!;
    for (let tier = 0; tier < tierWeight.length && from < end; tier++) {
      const to = tierEnd(data, from, end, tier, tierOf);
      if (to > from) out.push({ from, to, score: scale * tierWeight[tier]! });
      from = to;
    }
  }
  return out.sort((a, b) => b.score - a.score);
}

/** The most an untouched document can score: every word at its next unread segment. */
function unseenBound(words: number, counted: number, frontier: (w: number) => number): number {
  let sum = 0;
  let present = 0;
  for (let w = 0; w < words; w++) {
    const score = frontier(w);
    if (score > 0) {
      sum = sum + score;
      present++;
    }
  }
  return (sum * present) / counted;
}

/** A touched document's relevance from the words found so far, summed in word order as accumulate.ts does. */
function relevance(slot: number, words: number, counted: number, segments: ReadonlyArray<readonly Segment[]>, segmentOf: readonly Uint16Array[], matched: Uint8Array): number {
  let sum = 0;
  for (let w = 0; w < words; w++) {
    const s = segmentOf[w]![slot]!;
    if (s !== 0) sum = sum + segments[w]![s - 1]!.score;
  }
  return (sum * matched[slot]!) / counted;
}

/**
 * The `limit`-th best lower bound among touched documents that pass the filter and are certainly
 * after the cursor (even their upper bound ranks after it); -Infinity when there are fewer.
 */
function pageThreshold(
  touched: Int32Array,
  from: number,
  to: number,
  exact: readonly number[],
  words: number,
  counted: number,
  segments: ReadonlyArray<readonly Segment[]>,
  segmentOf: readonly Uint16Array[],
  frontier: (w: number) => number,
  passes: (slot: number) => boolean,
  limit: number,
  after: RankKey | null,
  trust: Uint8Array,
  health: Uint8Array,
  docs: ReadonlyArray<{ id: string } | undefined>,
): number {
  const best = new HighestPriorities(limit);
  for (let i = 0; i < exact.length; i += 2) if (after === null || rankedAfter(exact[i]!, exact[i + 1]!, after, trust, health, docs)) best.offer(exact[i + 1]!, exact[i]!);
  for (let i = from; i < to; i++) {
    const slot = touched[i]!;
    if (!passes(slot)) continue;
    let low = 0;
    let high = 0;
    let found = 0;
    let open = 0;
    for (let w = 0; w < words; w++) {
      const s = segmentOf[w]![slot]!;
      if (s !== 0) {
        const score = segments[w]![s - 1]!.score;
        low = low + score;
        high = high + score;
        found++;
      } else {
        const next = frontier(w);
        if (next > 0) {
          high = high + next;
          open++;
        }
      }
    }
    if (after !== null && !rankedAfter((high * (found + open)) / counted, slot, after, trust, health, docs)) continue;
    best.offer(slot, (low * found) / counted);
  }
  return best.full ? best.lowest : Number.NEGATIVE_INFINITY;
}
