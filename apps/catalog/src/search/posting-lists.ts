/**
 * Term → documents, for the embedded engine. A posting is one int: `slot << FIELD_BITS | mask`,
 * the mask saying in which fields the term occurs (so a document is listed once per term).
 *
 * Two layers, like a tiny LSM tree: a compacted `base` (all lists in one Int32Array, 4 bytes a
 * posting, read sequentially) and a `delta` of per-term growable Int32Arrays that new documents
 * append to. Both are Int32Arrays so the query loop over them stays monomorphic.
 * Compaction merges the delta into the base, drops removed documents and renumbers slots.
 * Measured with 100,000 synthetic servers and 1,000,000 tools (33.8 M postings): all typed
 * arrays of both indexes (postings, dictionary tries, attributes, query scratch) take ~294 MB.
 */

export const FIELD_BITS = 7;
export const FIELD_MASK = (1 << FIELD_BITS) - 1;
/** Slots must fit in the 24 bits left above the field mask. */
export const MAX_SLOTS = 1 << (31 - FIELD_BITS);
/** At most one tier per field weight. */
export const TIERS = FIELD_BITS;

export class PostingLists {
  /** base lists: term t's postings are baseData[baseOffsets[t] .. baseOffsets[t + 1]). */
  baseOffsets = new Int32Array(1);
  baseData = new Int32Array(0);
  /** Terms the base knows; later terms only have delta lists. */
  baseTerms = 0;
  /** delta lists: term t's postings are delta[t][0 .. deltaLength[t]). */
  delta: Array<Int32Array | undefined> = [];
  deltaLength = new Int32Array(1024);
  deltaSize = 0;

  add(term: number, posting: number): void {
    if (term >= this.deltaLength.length) {
      const lengths = new Int32Array(Math.max(term + 1, this.deltaLength.length * 2));
      lengths.set(this.deltaLength);
      this.deltaLength = lengths;
    }
    const length = this.deltaLength[term]!;
    let list = this.delta[term];
    if (list === undefined || length === list.length) {
      const grown = new Int32Array(length === 0 ? 2 : length * 2);
      if (list !== undefined) grown.set(list);
      list = grown;
      this.delta[term] = list;
    }
    list[length] = posting;
    this.deltaLength[term] = length + 1;
    this.deltaSize++;
  }

  /** How many documents list `term` (removed ones included until the next compaction). */
  length(term: number): number {
    const base = term < this.baseTerms ? this.baseOffsets[term + 1]! - this.baseOffsets[term]! : 0;
    return base + (term < this.deltaLength.length ? this.deltaLength[term]! : 0);
  }

  get size(): number {
    return this.baseData.length + this.deltaSize;
  }

  /**
   * Merges delta into base, mapping each slot through `remap` (a negative entry drops the
   * posting), and orders each base list by tier (`tierOf[mask]`, 0 = the best field first), so
   * a one-word query can stop once the remaining tiers cannot reach its page. Runs as a
   * generator so a rebuild can yield to the event loop between chunks; `compactNow` runs it in
   * one go.
   */
  *compact(termCount: number, remap: Int32Array, tierOf: Uint8Array): Generator<void, void, void> {
    const offsets = new Int32Array(termCount + 1);
    let work = 0;
    for (let term = 0; term < termCount; term++) {
      offsets[term + 1] = offsets[term]! + this.countKept(term, remap);
      work += this.length(term);
      if (work > CHUNK) {
        work = 0;
        yield;
      }
    }
    const data = new Int32Array(offsets[termCount]!);
    for (let term = 0; term < termCount; term++) {
      let at = offsets[term]!;
      if (term < this.baseTerms) {
        for (let i = this.baseOffsets[term]!, end = this.baseOffsets[term + 1]!; i < end; i++) at = keep(data, at, this.baseData[i]!, remap);
      }
      const list = this.delta[term];
      if (list !== undefined) for (let i = 0, end = this.deltaLength[term]!; i < end; i++) at = keep(data, at, list[i]!, remap);
      this.sortByTier(data, offsets[term]!, at, tierOf);
      work += this.length(term);
      if (work > CHUNK) {
        work = 0;
        yield;
      }
    }
    this.baseOffsets = offsets;
    this.baseData = data;
    this.baseTerms = termCount;
    this.delta = [];
    this.deltaLength = new Int32Array(1024);
    this.deltaSize = 0;
  }

  compactNow(termCount: number, remap: Int32Array, tierOf: Uint8Array): void {
    const steps = this.compact(termCount, remap, tierOf);
    while (!steps.next().done);
  }

  private buffer = new Int32Array(1024);
  private readonly tierCounts = new Int32Array(TIERS + 1);

  /** A stable counting sort of data[from, to) by tier. */
  private sortByTier(data: Int32Array, from: number, to: number, tierOf: Uint8Array): void {
    if (to - from < 2) return;
    const counts = this.tierCounts;
    counts.fill(0);
    for (let i = from; i < to; i++) counts[tierOf[data[i]! & FIELD_MASK]! + 1]!++;
    for (let t = 1; t <= TIERS; t++) counts[t]! += counts[t - 1]!;
    if (this.buffer.length < to - from) this.buffer = new Int32Array(Math.max(to - from, this.buffer.length * 2));
    const buffer = this.buffer;
    for (let i = from; i < to; i++) buffer[counts[tierOf[data[i]! & FIELD_MASK]!]!++] = data[i]!;
    data.set(buffer.subarray(0, to - from), from);
  }

  private countKept(term: number, remap: Int32Array): number {
    let kept = 0;
    if (term < this.baseTerms) {
      for (let i = this.baseOffsets[term]!, end = this.baseOffsets[term + 1]!; i < end; i++) if (remap[this.baseData[i]! >>> FIELD_BITS]! >= 0) kept++;
    }
    const list = this.delta[term];
    if (list !== undefined) for (let i = 0, end = this.deltaLength[term]!; i < end; i++) if (remap[list[i]! >>> FIELD_BITS]! >= 0) kept++;
    return kept;
  }
}

/**
 * Where the postings of tier `tier` or better end in data[from, end), a base list ordered by tier
 * (binary search): the segment a one-word or top-bucket query reads at one relevance.
 */
export function tierEnd(data: Int32Array, from: number, end: number, tier: number, tierOf: Uint8Array): number {
  let lo = from;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tierOf[data[mid]! & FIELD_MASK]! <= tier) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Postings copied between two yields of a compaction: ~10-25 ms at a million tools, where 2,000,000 blocked the event loop for 100-170 ms. */
const CHUNK = 100_000;

function keep(data: Int32Array, at: number, posting: number, remap: Int32Array): number {
  const slot = remap[posting >>> FIELD_BITS]!;
  if (slot < 0) return at;
  data[at] = (slot << FIELD_BITS) | (posting & FIELD_MASK);
  return at + 1;
}
