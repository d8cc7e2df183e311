/** Query-time state shared by the scoring paths of text-search.ts and one-word-search.ts. */

/** Where the previous page stopped: the last hit's sort key. */
export interface RankKey {
  rel: number;
  trust: number;
  health: number;
  id: string;
}

/** Per-index scratch arrays, reused by every query so a search allocates O(page), not O(index). */
export class Scratch {
  seen = new Int32Array(0);
  wordSeen = new Int32Array(0);
  acc = new Float64Array(0);
  /** A document's sum before the current word (accumulate.ts). */
  before = new Float64Array(0);
  best = new Float64Array(0);
  matched = new Uint8Array(0);
  fields = new Uint8Array(0);
  touched = new Int32Array(0);
  touchedCount = 0;
  stamp = 0;
  /** Per query word, the segment a touched document was first found in (threshold-search.ts). */
  private segments: Uint16Array[] = [];

  fit(capacity: number): void {
    if (this.seen.length >= capacity) return;
    this.seen = new Int32Array(capacity);
    this.wordSeen = new Int32Array(capacity);
    this.acc = new Float64Array(capacity);
    this.before = new Float64Array(capacity);
    this.best = new Float64Array(capacity);
    this.matched = new Uint8Array(capacity);
    this.fields = new Uint8Array(capacity);
    this.touched = new Int32Array(capacity);
    this.segments = [];
    this.stamp = 0;
  }

  /** `words` slot arrays, allocated on first use (only queries of several words need them). */
  wordSegments(words: number): readonly Uint16Array[] {
    while (this.segments.length < words) this.segments.push(new Uint16Array(this.seen.length));
    return this.segments;
  }

  nextStamp(): number {
    if (this.stamp > 0x3fffffff) {
      this.seen.fill(0);
      this.wordSeen.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }
}

const scratches = new WeakMap<object, Scratch>();

export function rankedAfter(rel: number, slot: number, after: RankKey, trust: Uint8Array, health: Uint8Array, docs: ReadonlyArray<{ id: string } | undefined>): boolean {
  if (rel !== after.rel) return rel < after.rel;
  if (trust[slot] !== after.trust) return trust[slot]! < after.trust;
  if (health[slot] !== after.health) return health[slot]! < after.health;
  return docs[slot]!.id > after.id;
}

export function scratchOf(index: object & { attributes: { capacity: number } }): Scratch {
  let scratch = scratches.get(index);
  if (scratch === undefined) {
    scratch = new Scratch();
    scratches.set(index, scratch);
  }
  scratch.fit(index.attributes.capacity);
  return scratch;
}

/** One query word as planned: its dictionary terms, their score factors and the word's idf. */
export interface PlannedWord {
  terms: number[];
  factors: number[];
  idf: number;
}

