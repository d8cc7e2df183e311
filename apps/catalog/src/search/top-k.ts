/**
 * The best `capacity` candidates of a query, in a binary heap whose root is the worst one kept,
 * so a page of k results out of m matches costs O(m log k) and never sorts all matches.
 *
 * The order is the search's: relevance, then trust rank, then health rank (higher first), then
 * id (ascending) so that the order is total and cursors are stable. The comparison reads the
 * rank arrays directly; most candidates are rejected by one float comparison with the root. Ids
 * are compared through their position in id order (`order`, kept by TextIndex) when both
 * documents have one: tool search over 100,000 tools spent 43% of its time comparing id strings
 * of equally relevant tools (the same tool name in many servers), ~100 ns each.
 */
export class RankedTopK {
  private readonly slots: Int32Array;
  private readonly rels: Float64Array;
  private kept = 0;

  constructor(
    private readonly capacity: number,
    private readonly trust: Uint8Array,
    private readonly health: Uint8Array,
    private readonly docs: ReadonlyArray<{ id: string } | undefined>,
    private readonly order: Float64Array,
  ) {
    this.slots = new Int32Array(Math.max(capacity, 1));
    this.rels = new Float64Array(Math.max(capacity, 1));
  }

  get size(): number {
    return this.kept;
  }

  get full(): boolean {
    return this.kept >= this.capacity;
  }

  /** The relevance of the worst candidate kept (meaningful when full). */
  get worstRel(): number {
    return this.rels[0]!;
  }

  /** Whether (relA, slotA) ranks before (relB, slotB). */
  before(relA: number, slotA: number, relB: number, slotB: number): boolean {
    if (relA !== relB) return relA > relB;
    const trust = this.trust;
    if (trust[slotA] !== trust[slotB]) return trust[slotA]! > trust[slotB]!;
    const health = this.health;
    if (health[slotA] !== health[slotB]) return health[slotA]! > health[slotB]!;
    const orderA = this.order[slotA]!;
    const orderB = this.order[slotB]!;
    // NaN (not placed yet) fails both comparisons: fall back to the ids.
    if (orderA < orderB) return true;
    if (orderA > orderB) return false;
    return this.docs[slotA]!.id < this.docs[slotB]!.id;
  }

  offer(rel: number, slot: number): void {
    if (this.kept < this.capacity) {
      let i = this.kept++;
      // Sift up: a parent must rank after (be worse than) its children.
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!this.before(this.rels[parent]!, this.slots[parent]!, rel, slot)) break;
        this.slots[i] = this.slots[parent]!;
        this.rels[i] = this.rels[parent]!;
        i = parent;
      }
      this.slots[i] = slot;
      this.rels[i] = rel;
      return;
    }
    if (this.capacity === 0 || rel < this.rels[0]! || !this.before(rel, slot, this.rels[0]!, this.slots[0]!)) return;
    this.siftDown(rel, slot);
  }

  /** The kept candidates, best first. */
  drain(): Array<{ slot: number; rel: number }> {
    const out: Array<{ slot: number; rel: number }> = [];
    for (let i = 0; i < this.kept; i++) out.push({ slot: this.slots[i]!, rel: this.rels[i]! });
    out.sort((a, b) => (this.before(a.rel, a.slot, b.rel, b.slot) ? -1 : 1));
    return out;
  }

  private siftDown(rel: number, slot: number): void {
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= this.kept) break;
      let worst = left;
      const right = left + 1;
      if (right < this.kept && this.before(this.rels[left]!, this.slots[left]!, this.rels[right]!, this.slots[right]!)) worst = right;
      if (!this.before(rel, slot, this.rels[worst]!, this.slots[worst]!)) break;
      this.slots[i] = this.slots[worst]!;
      this.rels[i] = this.rels[worst]!;
      i = worst;
    }
    this.slots[i] = slot;
    this.rels[i] = rel;
  }
}

/**
 * The `max` items of highest priority offered (query-word derivations, page thresholds): a
 * min-heap, so a long prefix range costs O(n log max).
 */
export class HighestPriorities {
  private readonly terms: number[] = [];
  private readonly priorities: number[] = [];
  constructor(private readonly max: number) {}

  offer(term: number, priority: number): void {
    const { terms, priorities } = this;
    if (this.max === 0) return;
    if (terms.length < this.max) {
      let i = terms.length;
      terms.push(term);
      priorities.push(priority);
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (priorities[parent]! <= priority) break;
        terms[i] = terms[parent]!;
        priorities[i] = priorities[parent]!;
        i = parent;
      }
      terms[i] = term;
      priorities[i] = priority;
      return;
    }
    if (priority <= priorities[0]!) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= terms.length) break;
      const right = left + 1;
      const smaller = right < terms.length && priorities[right]! < priorities[left]! ? right : left;
      if (priorities[smaller]! >= priority) break;
      terms[i] = terms[smaller]!;
      priorities[i] = priorities[smaller]!;
      i = smaller;
    }
    terms[i] = term;
    priorities[i] = priority;
  }

  get full(): boolean {
    return this.terms.length === this.max;
  }

  /** The lowest priority kept (meaningful when full). */
  get lowest(): number {
    return this.priorities[0]!;
  }

  forEach(visit: (term: number, priority: number) => void): void {
    for (let i = 0; i < this.terms.length; i++) visit(this.terms[i]!, this.priorities[i]!);
  }
}
