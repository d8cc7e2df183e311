import { type HealthStatus, TRUST_LEVELS, type TrustLevel } from '@toolport/contracts';
import type { SearchFilters, ServerFacet } from './search-index';
import { HEALTH_BY_RANK, healthRank, MAX_FACET_VALUES, STATUSES, statusesOf, TRUST_BY_RANK, trustRank, topFacetValues } from './search-ranking';

/** What the embedded engine filters, ranks and counts facets on, for servers and tools alike. */
export interface FilterableDocument {
  namespace: string;
  registryTypes?: readonly string[];
  transports?: readonly string[];
  trustLevel: TrustLevel | null;
  approved: boolean;
  health: HealthStatus | null;
  status: 'active' | 'deprecated' | 'deleted';
  isLatest: boolean;
}

/** Multi-valued attributes are bit masks over interned values; the 32nd bit means "a value past the 31st". */
const MASK_BITS = 31;
const OVERFLOW_BIT = 1 << MASK_BITS;

/**
 * The packed filter word of a slot: everything but namespace, registry type and transport, so
 * the common filters are checked with two AND operations. 0 means "no document here".
 * bits 0-2 status (one-hot) · 3 approved · 4 not approved · 5 latest ·
 * 6-9 trust "at least rejected/needs-review/passed/verified" (thermometer) · 10-15 health rank (one-hot)
 */
const STATUS_SHIFT = 0;
const APPROVED_BIT = 1 << 3;
const UNAPPROVED_BIT = 1 << 4;
const LATEST_BIT = 1 << 5;
const TRUST_SHIFT = 6;
const HEALTH_SHIFT = 10;

function packWord(doc: FilterableDocument): number {
  const trust = trustRank(doc.trustLevel);
  return (
    (1 << (STATUS_SHIFT + STATUSES.indexOf(doc.status))) |
    (doc.approved ? APPROVED_BIT : UNAPPROVED_BIT) |
    (doc.isLatest ? LATEST_BIT : 0) |
    (((1 << trust) - 1) << TRUST_SHIFT) |
    (1 << (HEALTH_SHIFT + healthRank(doc.health)))
  );
}

class Interner {
  readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  private ranks: Int32Array | null = null;

  /** Each value's position in sorted order; recomputed only after new values arrive. */
  alphabetical(): Int32Array {
    if (this.ranks === null || this.ranks.length !== this.values.length) {
      const order = this.values.map((_, id) => id).sort((a, b) => (this.values[a]! < this.values[b]! ? -1 : 1));
      this.ranks = new Int32Array(this.values.length);
      order.forEach((id, rank) => (this.ranks![id] = rank));
    }
    return this.ranks;
  }

  intern(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }
}

/** A filter turned into numbers once per query, checked per candidate without allocating. */
export interface CompiledFilter {
  /** Bits of the packed word that must all be set. */
  all: number;
  /** Bits of which one must be set (the statuses asked for). */
  any: number;
  /** Whether namespace, registry type or transport must be checked too. */
  extra: boolean;
  namespace: number;
  registryBit: number;
  registryValue: string | null;
  transportBit: number;
  transportValue: string | null;
}

/**
 * Per-slot attributes in typed arrays: a filter check is a couple of array reads and bit
 * operations, and facet counts are array increments, with no object touched in the hot loop.
 */
export class SlotAttributes {
  packed = new Int32Array(0);
  trust = new Uint8Array(0);
  health = new Uint8Array(0);
  namespace = new Int32Array(0);
  registry = new Int32Array(0);
  transport = new Int32Array(0);
  /**
   * A number increasing with the document's id, the last tie-breaker of the ranking (id-order.ts
   * keeps it); NaN while not yet placed, and then compared by id.
   */
  order = new Float64Array(0);
  readonly namespaces = new Interner();
  readonly registries = new Interner();
  readonly transports = new Interner();

  get capacity(): number {
    return this.trust.length;
  }

  ensureCapacity(slots: number): void {
    if (slots <= this.capacity) return;
    const size = Math.max(slots, Math.ceil(this.capacity * 1.5), 1024);
    this.packed = grow(this.packed, new Int32Array(size));
    this.trust = grow(this.trust, new Uint8Array(size));
    this.health = grow(this.health, new Uint8Array(size));
    this.namespace = grow(this.namespace, new Int32Array(size));
    this.registry = grow(this.registry, new Int32Array(size));
    this.transport = grow(this.transport, new Int32Array(size));
    this.order = grow(this.order, new Float64Array(size));
  }

  set(slot: number, doc: FilterableDocument): void {
    this.packed[slot] = packWord(doc);
    this.trust[slot] = trustRank(doc.trustLevel);
    this.health[slot] = healthRank(doc.health);
    this.namespace[slot] = this.namespaces.intern(doc.namespace);
    this.registry[slot] = maskOf(this.registries, doc.registryTypes);
    this.transport[slot] = maskOf(this.transports, doc.transports);
  }

  /** The slot no longer holds a document: no filter matches it. */
  clear(slot: number): void {
    this.packed[slot] = 0;
  }

  /** Moves slot `from` to `to` (to <= from) while renumbering during compaction. */
  move(from: number, to: number): void {
    this.packed[to] = this.packed[from]!;
    this.trust[to] = this.trust[from]!;
    this.health[to] = this.health[from]!;
    this.namespace[to] = this.namespace[from]!;
    this.registry[to] = this.registry[from]!;
    this.transport[to] = this.transport[from]!;
    this.order[to] = this.order[from]!;
  }

  /** Null when nothing can match (an unknown namespace, registry type or transport). */
  compile(filters: SearchFilters): CompiledFilter | null {
    const namespace = filters.namespace === undefined ? -1 : (this.namespaces.ids.get(filters.namespace) ?? -2);
    const registry = bitOf(this.registries, filters.registryType);
    const transport = bitOf(this.transports, filters.transport);
    if (namespace === -2 || registry === null || transport === null) return null;
    let any = 0;
    for (const status of statusesOf(filters)) any |= 1 << (STATUS_SHIFT + STATUSES.indexOf(status));
    let all = 0;
    if (filters.approved !== undefined) all |= filters.approved ? APPROVED_BIT : UNAPPROVED_BIT;
    if (filters.latestOnly === true) all |= LATEST_BIT;
    if (filters.minTrust !== undefined) all |= 1 << (TRUST_SHIFT + TRUST_LEVELS.indexOf(filters.minTrust));
    if (filters.health !== undefined) all |= 1 << (HEALTH_SHIFT + healthRank(filters.health));
    return {
      all,
      any,
      extra: namespace >= 0 || registry !== 0 || transport !== 0,
      namespace,
      registryBit: registry,
      registryValue: filters.registryType ?? null,
      transportBit: transport,
      transportValue: filters.transport ?? null,
    };
  }

  /** Whether a live `slot` passes `f`. */
  matches(slot: number, f: CompiledFilter, docs: ReadonlyArray<FilterableDocument | undefined>): boolean {
    const word = this.packed[slot]!;
    if ((word & f.all) !== f.all || (word & f.any) === 0) return false;
    return !f.extra || this.matchesExtra(slot, f, docs);
  }

  /**
   * Namespace, registry type and transport. `docs` is consulted only for a registry type or
   * transport past the 31st distinct value (never seen in practice: both are small enumerations).
   */
  matchesExtra(slot: number, f: CompiledFilter, docs: ReadonlyArray<FilterableDocument | undefined>): boolean {
    if (f.namespace >= 0 && this.namespace[slot] !== f.namespace) return false;
    if (f.registryBit !== 0 && (this.registry[slot]! & f.registryBit) === 0) return false;
    if (f.transportBit !== 0 && (this.transport[slot]! & f.transportBit) === 0) return false;
    if (f.registryBit === OVERFLOW_BIT && !(docs[slot]?.registryTypes ?? []).includes(f.registryValue!)) return false;
    if (f.transportBit === OVERFLOW_BIT && !(docs[slot]?.transports ?? []).includes(f.transportValue!)) return false;
    return true;
  }

  newFacetCounter(facets: readonly ServerFacet[]): FacetCounter {
    return new FacetCounter(this, facets);
  }
}

/** Counts facet values over every match of one query. */
export class FacetCounter {
  private readonly trust = new Int32Array(TRUST_BY_RANK.length);
  private readonly health = new Int32Array(HEALTH_BY_RANK.length);
  private readonly approved = new Int32Array(2);
  private readonly registry = new Int32Array(MASK_BITS + 1);
  private readonly transport = new Int32Array(MASK_BITS + 1);
  private readonly namespace: Int32Array | null;
  private readonly overflow = { registry: new Map<string, number>(), transport: new Map<string, number>() };
  private readonly wants: Set<ServerFacet>;

  constructor(
    private readonly attributes: SlotAttributes,
    facets: readonly ServerFacet[],
  ) {
    this.wants = new Set(facets);
    this.namespace = this.wants.has('namespace') ? new Int32Array(attributes.namespaces.values.length) : null;
  }

  get active(): boolean {
    return this.wants.size > 0;
  }

  count(slot: number, docs: ReadonlyArray<FilterableDocument | undefined>): void {
    const a = this.attributes;
    this.trust[a.trust[slot]!]!++;
    this.health[a.health[slot]!]!++;
    this.approved[(a.packed[slot]! & APPROVED_BIT) === 0 ? 0 : 1]!++;
    if (this.namespace !== null) this.namespace[a.namespace[slot]!]!++;
    countBits(this.registry, a.registry[slot]!);
    countBits(this.transport, a.transport[slot]!);
    if ((a.registry[slot]! & OVERFLOW_BIT) !== 0) countOverflow(this.overflow.registry, a.registries, docs[slot]?.registryTypes);
    if ((a.transport[slot]! & OVERFLOW_BIT) !== 0) countOverflow(this.overflow.transport, a.transports, docs[slot]?.transports);
  }

  result(): Partial<Record<ServerFacet, Record<string, number>>> {
    const a = this.attributes;
    const out: Partial<Record<ServerFacet, Record<string, number>>> = {};
    const byBit = (counts: Int32Array, interner: Interner, overflow: Map<string, number>): Record<string, number> => {
      if (overflow.size === 0) return topFacetValues(interner.values.slice(0, MASK_BITS), counts);
      const values = [...interner.values.slice(0, MASK_BITS), ...overflow.keys()];
      return topFacetValues(values, [...counts.slice(0, MASK_BITS), ...overflow.values()]);
    };
    if (this.wants.has('trustLevel')) out.trustLevel = topFacetValues(TRUST_BY_RANK, this.trust);
    if (this.wants.has('health')) out.health = topFacetValues(HEALTH_BY_RANK, this.health);
    if (this.wants.has('approved')) out.approved = topFacetValues(['false', 'true'], this.approved);
    if (this.wants.has('registryType')) out.registryType = byBit(this.registry, a.registries, this.overflow.registry);
    if (this.wants.has('transport')) out.transport = byBit(this.transport, a.transports, this.overflow.transport);
    if (this.namespace !== null) out.namespace = topFacetValues(a.namespaces.values, this.namespace, MAX_FACET_VALUES, a.namespaces.alphabetical());
    return out;
  }
}

function grow<T extends Uint8Array | Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

function maskOf(interner: Interner, values: readonly string[] | undefined): number {
  let mask = 0;
  for (const value of values ?? []) {
    const id = interner.intern(value);
    mask |= id < MASK_BITS ? 1 << id : OVERFLOW_BIT;
  }
  return mask;
}

/** 0 when there is no filter, null when the value was never seen (nothing matches). */
function bitOf(interner: Interner, value: string | undefined): number | null {
  if (value === undefined) return 0;
  const id = interner.ids.get(value);
  if (id === undefined) return null;
  return id < MASK_BITS ? 1 << id : OVERFLOW_BIT;
}

function countBits(counts: Int32Array, mask: number): void {
  let m = mask & ~OVERFLOW_BIT;
  while (m !== 0) {
    const bit = 31 - Math.clz32(m);
    counts[bit]!++;
    m &= ~(1 << bit);
  }
}

function countOverflow(counts: Map<string, number>, interner: Interner, values: readonly string[] | undefined): void {
  for (const value of values ?? []) {
    if ((interner.ids.get(value) ?? 0) >= MASK_BITS) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
}
