/** Entries renumbered between two yields of a compaction (placed slots here, group members in text-index.ts). */
export const RENUMBER_CHUNK = 200_000;

/**
 * Live documents in id order, the ranking's last tie-breaker: SlotAttributes.order holds, per
 * slot, a number that increases with the id (NaN until placed), so equal hits compare one float
 * instead of two id strings (~100 ns each, top-k.ts).
 *
 * Placing costs O(u log n) for u new and r removed documents, without a pass over the n placed
 * ones: a new document's number lies between its neighbours' (spread evenly when several share a
 * gap; every number is rewritten only when a gap runs out of float precision), and a removed
 * document is found in the id order by its own number (binary search) and left out. At a million
 * tools, passes over every slot took ~300 ms while the garbage collector marked concurrently,
 * blocking searches in a background tidy.
 */
export class IdOrder {
  /** Placed slots in id order; removed ones stay listed until the next placing. */
  private byId = new Int32Array(0);
  /** Placed slots removed since the last placing. */
  private removed: number[] = [];
  /** Every slot below this one was placed or has been removed since. */
  private placedBelow = 0;

  /** A document leaves `slot` (before its slot is reused by renumbering). */
  forget(slot: number, order: Float64Array): void {
    if (!Number.isNaN(order[slot]!)) this.removed.push(slot);
  }

  /**
   * Follows a compaction that closed holes: `remap` maps old slots to new ones (-1: removed);
   * SlotAttributes moved each slot's number with it. Yields between chunks.
   */
  *renumber(remap: Int32Array): Generator<void, void, void> {
    let placedBelow = 0;
    for (let slot = 0; slot < this.placedBelow; slot++) if (remap[slot]! >= 0) placedBelow++;
    let placed = 0;
    for (let i = 0; i < this.byId.length; i++) {
      const to = remap[this.byId[i]!]!;
      if (to >= 0) this.byId[placed++] = to;
      if (i % RENUMBER_CHUNK === RENUMBER_CHUNK - 1) yield;
    }
    this.byId = this.byId.subarray(0, placed);
    this.removed = [];
    this.placedBelow = placedBelow;
  }

  /** Gives every live document in slots [0, next) that has none its number in id order. */
  place(docs: ReadonlyArray<{ id: string } | undefined>, order: Float64Array, next: number): void {
    // New documents only ever take slots at the end.
    const fresh: number[] = [];
    for (let slot = this.placedBelow; slot < next; slot++) if (docs[slot] !== undefined && Number.isNaN(order[slot]!)) fresh.push(slot);
    fresh.sort((a, b) => (docs[a]!.id < docs[b]!.id ? -1 : 1));
    const placed = this.withoutRemoved(docs, order);
    const count = placed.length;
    const merged = new Int32Array(count + fresh.length);
    let n = 0;
    let start = 0;
    let exhausted = false;
    for (let f = 0; f < fresh.length; ) {
      // Where the new document goes among the placed ones (first placed id above its own)…
      const id = docs[fresh[f]!]!.id;
      let lo = start;
      let hi = count;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (docs[placed[mid]!]!.id < id) lo = mid + 1;
        else hi = mid;
      }
      // …and how many of the next new ones share that gap.
      let g = f + 1;
      while (g < fresh.length && (lo === count || docs[fresh[g]!]!.id < docs[placed[lo]!]!.id)) g++;
      merged.set(placed.subarray(start, lo), n);
      n += lo - start;
      start = lo;
      const shared = g - f;
      const before = lo > 0 ? order[placed[lo - 1]!]! : Number.NaN;
      const after = lo < count ? order[placed[lo]!]! : Number.NaN;
      const low = Number.isNaN(before) ? (Number.isNaN(after) ? 0 : after - shared - 1) : before;
      const high = Number.isNaN(after) ? low + shared + 1 : after;
      let previous = low;
      for (let k = 0; k < shared; k++) {
        const value = low + ((high - low) * (k + 1)) / (shared + 1);
        if (!(value > previous && value < high)) exhausted = true;
        order[fresh[f + k]!] = value;
        merged[n++] = fresh[f + k]!;
        previous = value;
      }
      f = g;
    }
    merged.set(placed.subarray(start, count), n);
    n += count - start;
    if (exhausted) for (let i = 0; i < n; i++) order[merged[i]!] = i;
    this.byId = merged;
    this.removed = [];
    this.placedBelow = next;
  }

  /** byId without the removed slots, each found by its number (byId's numbers increase). */
  private withoutRemoved(docs: ReadonlyArray<{ id: string } | undefined>, order: Float64Array): Int32Array {
    if (this.removed.length === 0) return this.byId;
    const byId = this.byId;
    const positions: number[] = [];
    for (const slot of this.removed) {
      const value = order[slot]!;
      let lo = 0;
      let hi = byId.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (order[byId[mid]!]! < value) lo = mid + 1;
        else hi = mid;
      }
      if (lo < byId.length && byId[lo] === slot) positions.push(lo);
      // Not where its number says (never expected): fall back to one pass over the documents.
      else return byId.filter((s) => docs[s] !== undefined);
    }
    positions.sort((a, b) => a - b);
    const kept = new Int32Array(byId.length - positions.length);
    let n = 0;
    let from = 0;
    for (const at of positions) {
      kept.set(byId.subarray(from, at), n);
      n += at - from;
      from = at + 1;
    }
    kept.set(byId.subarray(from), n);
    return kept;
  }
}
