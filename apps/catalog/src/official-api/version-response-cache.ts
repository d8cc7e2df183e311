/**
 * Answers of `GET /servers/{name}/versions/{version}` kept in memory, per server: the JSON text
 * sent (or "not found"), by version asked for and by the caller's visibility class. The read
 * path was one PostgreSQL round trip per request: 2,542 req/s, 6% of the bare-HTTP ceiling
 * (bench/catalog, 10,000 servers); from memory it is a map lookup.
 *
 * Freshness: everything cached for a server is dropped when a change to it is heard
 * (ServerChanges: this process's projections right after their commit, other replicas' commits
 * through the change feed). A read that started before a drop and finishes after it is not
 * stored: it may have read the state before the change. An answer with a `staleAfter` (it shows
 * uptime, which moves with the clock alone) is a miss from then on. Bounded by the size of the text held
 * (least recently used servers go first).
 */
export type CachedAnswer =
  | {
      found: true;
      body: string;
      /** Epoch ms from which the text is out of date though nothing changed (it shows uptime: official-response.ts versionAnswer). */
      staleAfter?: number;
    }
  | { found: false };

interface ServerEntry {
  answers: Map<string, CachedAnswer>;
  bytes: number;
}

/** Recent drops remembered, to tell whether a read that overlapped them is stale. */
const RECENT_DROPS = 4096;
/** Per-answer overhead counted besides its text (key, map entry, object). */
const ENTRY_OVERHEAD = 200;

export class VersionResponseCache {
  private readonly servers = new Map<string, ServerEntry>();
  private bytes = 0;
  /** Drops so far; `recent[g % RECENT_DROPS]` is the server of drop g. */
  private generation = 0;
  private readonly recent: string[] = new Array<string>(RECENT_DROPS);

  /** `maxBytes` 0 turns the cache off. */
  constructor(
    private readonly maxBytes: number,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.maxBytes > 0;
  }

  get size(): { servers: number; bytes: number } {
    return { servers: this.servers.size, bytes: this.bytes };
  }

  get(serverName: string, key: string): CachedAnswer | undefined {
    const entry = this.servers.get(serverName);
    if (entry === undefined) return undefined;
    const answer = entry.answers.get(key);
    // Stale: a miss, so the caller reads it again (and stores the fresh text in its place).
    if (answer?.found === true && answer.staleAfter !== undefined && this.now() >= answer.staleAfter) return undefined;
    if (answer !== undefined && this.servers.size > 1) {
      // Most recently used last: Map keeps insertion order.
      this.servers.delete(serverName);
      this.servers.set(serverName, entry);
    }
    return answer;
  }

  /** The answer from the cache, or from `load` (stored unless the server changed meanwhile). */
  async answer(serverName: string, key: string, load: () => Promise<CachedAnswer>): Promise<CachedAnswer> {
    if (!this.enabled) return load();
    const cached = this.get(serverName, key);
    if (cached !== undefined) return cached;
    const started = this.generation;
    const loaded = await load();
    if (!this.droppedSince(serverName, started)) this.store(serverName, key, loaded);
    return loaded;
  }

  /** A mark to pass to `offer`: answers read after it are stored unless their server changed since. */
  mark(): number {
    return this.generation;
  }

  /** Stores an answer read (from the read model) after `mark`, unless its server changed since. */
  offer(serverName: string, key: string, answer: CachedAnswer, mark: number): void {
    if (this.enabled && !this.droppedSince(serverName, mark)) this.store(serverName, key, answer);
  }

  /** Whether the text held is at its bound (a refill stops there rather than evict what it just stored). */
  get full(): boolean {
    return this.bytes >= this.maxBytes;
  }

  /** Forgets everything about this server (its versions, its latest, its "not found"). */
  drop(serverName: string): void {
    this.recent[++this.generation % RECENT_DROPS] = serverName;
    const entry = this.servers.get(serverName);
    if (entry === undefined) return;
    this.servers.delete(serverName);
    this.bytes -= entry.bytes;
  }

  clear(): void {
    for (const name of [...this.servers.keys()]) this.drop(name);
  }

  private droppedSince(serverName: string, started: number): boolean {
    if (this.generation === started) return false;
    if (this.generation - started >= RECENT_DROPS) return true;
    for (let g = started + 1; g <= this.generation; g++) if (this.recent[g % RECENT_DROPS] === serverName) return true;
    return false;
  }

  private store(serverName: string, key: string, answer: CachedAnswer): void {
    const size = ENTRY_OVERHEAD + key.length + (answer.found ? answer.body.length : 0);
    if (size > this.maxBytes) return;
    let entry = this.servers.get(serverName);
    if (entry === undefined) {
      entry = { answers: new Map(), bytes: 0 };
      this.servers.set(serverName, entry);
    }
    const previous = entry.answers.get(key);
    if (previous !== undefined) {
      const old = ENTRY_OVERHEAD + key.length + (previous.found ? previous.body.length : 0);
      entry.bytes -= old;
      this.bytes -= old;
    }
    entry.answers.set(key, answer);
    entry.bytes += size;
    this.bytes += size;
    for (const [name, oldest] of this.servers) {
      if (this.bytes <= this.maxBytes) break;
      if (name === serverName) continue;
      this.servers.delete(name);
      this.bytes -= oldest.bytes;
    }
  }
}
