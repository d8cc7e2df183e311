import { FIELD_BITS, MAX_SLOTS, PostingLists } from './posting-lists';
import { IdOrder, RENUMBER_CHUNK } from './id-order';
import { type FilterableDocument, SlotAttributes } from './slot-attributes';
import { TermDictionary } from './term-dictionary';
import { tokenize } from './text-tokenizer';

/** One searchable field: its weight and how to read it (a string, a list of strings, or nothing). */
export interface FieldSpec<D> {
  name: string;
  weight: number;
  read(doc: D): string | readonly string[] | null;
}

export interface IndexedDocument extends FilterableDocument {
  id: string;
}

export interface TextIndexOptions<D> {
  fields: ReadonlyArray<FieldSpec<D>>;
  /** Documents removed together (a server version's tools); omit when the id is the group. */
  groupOf?: (doc: D) => string;
}

/** Delta postings tolerated before merging into the compact base: this many, or half the base. */
const DELTA_MIN = 200_000;
/** Removed documents tolerated before renumbering: this many, or a quarter of the live ones. */
const DEAD_MIN = 10_000;
/** Documents without a place in id order tolerated before placing them: this many, or a sixteenth of the live ones. */
const UNPLACED_MIN = 4_096;

/**
 * The storage half of the embedded engine: documents in numbered slots, their words in a
 * TermDictionary and PostingLists, their filter attributes in SlotAttributes. Slots only grow;
 * a removed document leaves a hole: its postings stay (skipped at query time) until a compaction
 * drops them, its slot number until holes are many enough to renumber. Querying lives in
 * text-search.ts.
 */
export class TextIndex<D extends IndexedDocument> {
  readonly dict = new TermDictionary();
  readonly postings = new PostingLists();
  readonly attributes = new SlotAttributes();
  readonly fields: ReadonlyArray<FieldSpec<D>>;
  /** Field mask → weight of the best field in it. */
  readonly maskWeight: Float64Array;
  /** Field mask → tier: 0 for the highest weight, 1 for the next distinct weight, … */
  readonly tierOf: Uint8Array;
  /** Tier → its weight. */
  readonly tierWeight: Float64Array;
  docs: Array<D | undefined> = [];
  /** Slots in use (live or holes); the next document gets this slot. */
  next = 0;
  live = 0;
  private bulk = false;
  /** Removed documents whose postings are still in the lists (the next compaction drops them). */
  private dead = 0;
  /** Empty slots below `next` (removed documents whose slot number is not reused until renumbering). */
  private holes = 0;
  private readonly idOrder = new IdOrder();
  private unplaced = 0;
  private readonly slots = new Map<string, number>();
  private readonly groups = new Map<string, number[]>();
  /** Per-document scratch while indexing: which terms it has (stamped per document) and in which fields. */
  private indexed = 0;
  private termStamp = new Int32Array(1024);
  private termFields = new Uint8Array(1024);
  private readonly docTerms: number[] = [];
  private readonly words: string[] = [];

  constructor(private readonly options: TextIndexOptions<D>) {
    if (options.fields.length > FIELD_BITS) throw new Error(`at most ${FIELD_BITS} searchable fields`);
    this.fields = options.fields;
    this.maskWeight = new Float64Array(1 << FIELD_BITS);
    for (let mask = 1; mask < this.maskWeight.length; mask++) {
      let best = 0;
      options.fields.forEach((field, bit) => {
        if ((mask & (1 << bit)) !== 0 && field.weight > best) best = field.weight;
      });
      this.maskWeight[mask] = best;
    }
    const weights = [...new Set(this.maskWeight.slice(1))].sort((a, b) => b - a);
    this.tierOf = Uint8Array.from(this.maskWeight, (weight) => Math.max(0, weights.indexOf(weight)));
    this.tierWeight = Float64Array.from(weights);
  }

  /** Bulk mode, while a rebuild loads an index nobody queries yet: no automatic compaction. */
  get bulkLoading(): boolean {
    return this.bulk;
  }

  set bulkLoading(on: boolean) {
    this.bulk = on;
  }

  get(id: string): D | undefined {
    const slot = this.slots.get(id);
    return slot === undefined ? undefined : this.docs[slot];
  }

  upsert(doc: D): void {
    const existing = this.slots.get(doc.id);
    if (existing !== undefined) {
      const previous = this.docs[existing]!;
      if (this.sameText(previous, doc)) {
        // Status, trust, approval and health changes touch only the attributes: no re-indexing.
        this.docs[existing] = doc;
        this.attributes.set(existing, doc);
        return;
      }
      this.kill(existing);
    }
    if (this.next >= MAX_SLOTS) this.compactNow();
    const slot = this.next++;
    this.attributes.ensureCapacity(this.next);
    this.docs[slot] = doc;
    this.attributes.set(slot, doc);
    this.attributes.order[slot] = NaN;
    this.unplaced++;
    this.slots.set(doc.id, slot);
    const group = this.options.groupOf?.(doc);
    if (group !== undefined) {
      const members = this.groups.get(group);
      if (members === undefined) this.groups.set(group, [slot]);
      else members.push(slot);
    }
    this.live++;
    this.indexText(slot, doc);
    this.maybeCompact();
  }

  remove(id: string): void {
    const slot = this.slots.get(id);
    if (slot === undefined) return;
    this.kill(slot);
    this.maybeCompact();
  }

  removeGroup(group: string): void {
    const members = this.groups.get(group);
    if (members === undefined) return;
    for (const slot of [...members]) this.kill(slot);
    this.maybeCompact();
  }

  /**
   * Merges the delta and drops the postings of removed documents, yielding between chunks.
   * Slots are renumbered (holes closed) when `renumber`, by default once holes pass
   * DEAD_MIN or a quarter of the live documents: closing one hole near the start moves every
   * document after it, and at a million tools re-keying them all took ~700 ms in one step.
   */
  *compactSteps(renumber = this.tooManyHoles()): Generator<void, void, void> {
    const remap = new Int32Array(this.next).fill(-1);
    let kept = 0;
    for (let slot = 0; slot < this.next; slot++) if (this.docs[slot] !== undefined) remap[slot] = renumber ? kept++ : slot;
    if (!renumber) kept = this.next;
    const renumbered = kept < this.next;
    yield* this.postings.compact(this.dict.size, remap, this.tierOf);
    // From the switch to the new lists on, searches must see documents and attributes under the
    // new slots: they move in this same step. Without holes every slot keeps its number.
    if (renumbered) {
      for (let slot = 0; slot < this.next; slot++) {
        const to = remap[slot]!;
        if (to < 0 || to === slot) continue;
        const doc = this.docs[slot]!;
        this.docs[to] = doc;
        this.attributes.move(slot, to);
        this.slots.set(doc.id, to);
      }
    }
    this.docs.length = kept;
    this.next = kept;
    yield;
    // Groups and the id order are read only by writes and by placing, which wait for this
    // generator: they are renumbered in chunks (at a million tools, in one step they blocked the
    // event loop for ~120 ms).
    if (renumbered) {
      let work = 0;
      for (const members of this.groups.values()) {
        for (let i = 0; i < members.length; i++) members[i] = remap[members[i]!]!;
        work += members.length;
        if (work > RENUMBER_CHUNK) {
          work = 0;
          yield;
        }
      }
      yield* this.idOrder.renumber(remap);
      this.holes = 0;
    }
    this.dead = 0;
    this.placeInIdOrder();
  }

  /**
   * Gives every live document without one its number in id order (SlotAttributes.order, see
   * id-order.ts); run after compaction and whenever enough documents wait.
   */
  placeInIdOrder(): void {
    this.idOrder.place(this.docs, this.attributes.order, this.next);
    this.unplaced = 0;
  }


  /**
   * Whether the index is worth compacting while writes pause: documents not in the tier-ordered
   * base (the shortcuts of text-search.ts read only the base in tier order), holes, or documents
   * without a place in id order (equal hits then compare id strings). A live-built index of a
   * million tools kept a third of its postings in delta lists and searched at half the speed.
   */
  get untidy(): boolean {
    return this.postings.deltaSize > 0 || this.dead > 0 || this.unplaced > 0;
  }

  /** What a pause in writes should do: compact (delta or holes), or only place new documents in id order. */
  *tidySteps(): Generator<void, void, void> {
    if (this.postings.deltaSize > 0 || this.dead > 0) yield* this.compactSteps();
    else if (this.unplaced > 0) this.placeInIdOrder();
  }

  /** A full compaction in one go, holes closed. */
  compactNow(): void {
    const steps = this.compactSteps(true);
    while (!steps.next().done);
  }

  private maybeCompact(): void {
    if (this.bulk) return;
    if (this.unplaced > Math.max(UNPLACED_MIN, this.live >> 4)) this.placeInIdOrder();
    const deltaTooBig = this.postings.deltaSize > Math.max(DELTA_MIN, this.postings.baseData.length >> 1);
    if (deltaTooBig || this.tooManyHoles()) this.compactNow();
  }

  private tooManyHoles(): boolean {
    return this.holes > Math.max(DEAD_MIN, this.live >> 2);
  }

  private kill(slot: number): void {
    const doc = this.docs[slot];
    if (doc === undefined) return;
    this.docs[slot] = undefined;
    this.attributes.clear(slot);
    this.slots.delete(doc.id);
    const group = this.options.groupOf?.(doc);
    const members = group === undefined ? undefined : this.groups.get(group);
    if (members !== undefined) {
      const at = members.indexOf(slot);
      if (at >= 0) members.splice(at, 1);
      if (members.length === 0) this.groups.delete(group!);
    }
    this.idOrder.forget(slot, this.attributes.order);
    this.live--;
    this.dead++;
    this.holes++;
  }

  private indexText(slot: number, doc: D): void {
    // A counter, not the slot: slots are reused after compaction renumbers them.
    const stamp = ++this.indexed;
    const docTerms = this.docTerms;
    docTerms.length = 0;
    for (let bit = 0; bit < this.fields.length; bit++) {
      const value = this.fields[bit]!.read(doc);
      if (value === null) continue;
      const words = this.words;
      words.length = 0;
      if (typeof value === 'string') tokenize(value, words);
      else for (const item of value) tokenize(item, words);
      for (const word of words) {
        const term = this.dict.add(word);
        if (term >= this.termStamp.length) this.growTermScratch(term);
        if (this.termStamp[term] !== stamp) {
          this.termStamp[term] = stamp;
          this.termFields[term] = 0;
          docTerms.push(term);
        }
        this.termFields[term] |= 1 << bit;
      }
    }
    for (const term of docTerms) this.postings.add(term, (slot << FIELD_BITS) | this.termFields[term]!);
  }

  private growTermScratch(term: number): void {
    const size = Math.max(term + 1, this.termStamp.length * 2);
    const stamps = new Int32Array(size);
    stamps.set(this.termStamp);
    this.termStamp = stamps;
    const fields = new Uint8Array(size);
    fields.set(this.termFields);
    this.termFields = fields;
  }

  private sameText(a: D, b: D): boolean {
    for (const field of this.fields) {
      const x = field.read(a);
      const y = field.read(b);
      if (x === y) continue;
      if (typeof x === 'string' || typeof y === 'string' || x === null || y === null) return false;
      if (x.length !== y.length || x.some((value, i) => value !== y[i])) return false;
    }
    return true;
  }
}
