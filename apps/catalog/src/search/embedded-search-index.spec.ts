import { EmbeddedSearchIndex } from './embedded-search-index';
import type { ServerDocument } from './search-index';
import { searchIndexContract, server, tool } from './search-index.contract';

describe('EmbeddedSearchIndex', () => {
  searchIndexContract(async () => {
    const index = new EmbeddedSearchIndex();
    await index.init();
    return index;
  });

  describe('beyond the contract', () => {
    let index: EmbeddedSearchIndex;
    beforeEach(() => {
      index = new EmbeddedSearchIndex();
    });
    const ids = async (q: string): Promise<string[]> => (await index.searchServers({ q, filters: {}, limit: 50 })).hits.map((h) => h.document.id);

    it('splits camelCase and snake_case and ignores diacritics', async () => {
      await index.upsertServers([server('io.github.acme/cafe', { toolNames: ['getWeatherForecast', 'HTTPServer_start'], description: 'Café crème' })]);
      for (const q of ['weather', 'http server', 'cafe creme', 'CAFÉ']) expect(await ids(q)).toEqual(['io.github.acme/cafe@1.0.0']);
      const [hit] = (await index.searchServers({ q: 'forecast', filters: {}, limit: 1 })).hits;
      expect(hit!.highlights['toolNames']).toBe('getWeather<em>Forecast</em>');
    });

    it('replays writes made during a rebuild onto the new index', async () => {
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      async function* slowServers(): AsyncIterable<ServerDocument[]> {
        yield [server('io.github.acme/from-rebuild')];
        await gate;
      }
      async function* noTools(): AsyncIterable<never[]> {}
      const rebuilding = index.rebuild(slowServers(), noTools());
      await index.upsertServers([server('io.github.acme/during', { description: 'written meanwhile' })]);
      expect(await ids('during')).toEqual(['io.github.acme/during@1.0.0']);
      release();
      await rebuilding;
      expect((await ids('io')).sort()).toEqual(['io.github.acme/during@1.0.0', 'io.github.acme/from-rebuild@1.0.0']);
    });

    it('orders equal hits by id whether they were placed in id order, are new since, or were re-indexed', async () => {
      const name = (i: number) => `io.github.t${String((i * 7919) % 10_007).padStart(5, '0')}/same`;
      async function* placed(): AsyncIterable<ServerDocument[]> {
        yield Array.from({ length: 3_000 }, (_, i) => server(name(i), { description: 'identical text' }));
      }
      async function* noTools(): AsyncIterable<never[]> {}
      await index.rebuild(placed(), noTools());
      // New since the rebuild (not placed yet), and one placed document re-indexed with new text.
      await index.upsertServers(Array.from({ length: 500 }, (_, i) => server(name(3_000 + i), { description: 'identical text' })));
      await index.upsertServers([server(name(5), { description: 'identical text again' })]);
      const expected = Array.from({ length: 3_500 }, (_, i) => `${name(i)}@1.0.0`).sort();
      const pageThrough = async (): Promise<string[]> => {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await index.searchServers({ q: 'identical', filters: {}, limit: 100, facets: [], ...(cursor ? { cursor } : {}) });
          seen.push(...page.hits.map((h) => h.document.id));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return seen;
      };
      const tied = (ids: string[]) => ids.filter((id) => id !== `${name(5)}@1.0.0`);
      expect(tied(await pageThrough())).toEqual(tied(expected));
      // Enough new documents to place them, then the same order again.
      await index.upsertServers(Array.from({ length: 5_000 }, (_, i) => server(name(3_500 + i), { description: 'identical text' })));
      const all = Array.from({ length: 8_500 }, (_, i) => `${name(i)}@1.0.0`).sort();
      expect(tied(await pageThrough())).toEqual(tied(all));
    });

    it('stays correct through compaction after many removals and re-indexings', async () => {
      const many = Array.from({ length: 12_000 }, (_, i) => server(`io.github.n${i}/bulk`, { description: i % 2 === 0 ? 'even numbered' : 'odd numbered' }));
      await index.upsertServers(many);
      for (let i = 0; i < 12_000; i += 2) await index.removeVersion(`io.github.n${i}/bulk`, '1.0.0');
      await index.upsertServers([server('io.github.n1/bulk', { description: 'changed text' })]);
      expect(await index.count()).toEqual({ servers: 6_000, tools: 0 });
      expect((await index.searchServers({ q: 'even', filters: {}, limit: 5 })).total).toBe(0);
      expect((await index.searchServers({ q: 'odd', filters: {}, limit: 5 })).total).toBe(5_999);
      expect(await ids('changed')).toEqual(['io.github.n1/bulk@1.0.0']);
    });

    it('pages one-word queries by tiers exactly as a full scoring does (base and delta lists)', async () => {
      const vocabulary = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
      let seed = 7;
      const random = (n: number): number => {
        seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
        return seed % n;
      };
      const pick = (count: number): string => Array.from({ length: count }, () => vocabulary[random(vocabulary.length)]).join(' ');
      const trust = [null, 'rejected', 'needs-review', 'passed', 'verified'] as const;
      const health = [null, 'healthy', 'degraded', 'down'] as const;
      const make = (i: number): ServerDocument =>
        server(`io.github.n${i}/${vocabulary[random(10)]}`, {
          title: random(3) === 0 ? pick(1) : null,
          description: pick(4),
          toolNames: [pick(1), pick(1)],
          toolDescriptions: [pick(6)],
          trustLevel: trust[random(5)]!,
          health: health[random(4)]!,
          status: random(10) === 0 ? 'deprecated' : 'active',
        });
      async function* once<T>(items: T[]): AsyncIterable<T[]> {
        yield items;
      }
      await index.rebuild(once(Array.from({ length: 3_000 }, (_, i) => make(i))), once([]));
      await index.upsertServers(Array.from({ length: 300 }, (_, i) => make(3_000 + i)));
      for (const q of [...vocabulary, 'ech', 'foxtrt', 'alp']) {
        for (const filters of [{}, { minTrust: 'passed' as const }]) {
          let cursor: string | undefined;
          let fullCursor: string | undefined;
          for (let page = 0; page < 3; page++) {
            const tiered = await index.searchServers({ q, filters, limit: 10, ...(cursor === undefined ? {} : { cursor }) });
            const full = await index.searchServers({ q, filters, limit: 10, facets: ['health'], ...(fullCursor === undefined ? {} : { cursor: fullCursor }) });
            expect(tiered.hits.map((h) => [h.document.id, h.score])).toEqual(full.hits.map((h) => [h.document.id, h.score]));
            if (full.nextCursor === null) break;
            expect(tiered.nextCursor).not.toBeNull();
            cursor = tiered.nextCursor!;
            fullCursor = full.nextCursor;
          }
        }
      }
    });

    it('compacts in the background once writes pause; searches answer throughout and writes made meanwhile are kept', async () => {
      const tidy = new EmbeddedSearchIndex(20);
      // White-box: whether the live tool index still holds uncompacted or unplaced documents.
      const inside = tidy as unknown as { indexes: { tools: { untidy: boolean } }; tidying: Promise<void> | null };
      const untidy = (): boolean => inside.indexes.tools.untidy;
      const tools = Array.from({ length: 60_000 }, (_, i) => tool(`io.github.n${i % 6_000}/bulk`, `list_${i % 7 === 0 ? 'branches' : 'pods'}_${i}`, `lists things ${i % 2 === 0 ? 'even' : 'odd'}`, []));
      await tidy.upsertTools(tools);
      const before = await tidy.searchTools({ q: 'list branches', filters: {}, limit: 10 });
      expect(untidy()).toBe(true);
      // Searches while the compaction runs in chunks, then a write that must wait for it.
      const during: Array<Promise<unknown>> = [];
      while (inside.tidying === null) await new Promise((resolve) => setImmediate(resolve));
      for (let i = 0; i < 5; i++) during.push(tidy.searchTools({ q: 'list branches', filters: {}, limit: 10 }));
      const written = tidy.upsertTools([tool('io.github.late/one', 'late_arrival', 'written while compacting', [])]);
      for (const result of (await Promise.all(during)) as Array<typeof before>) expect(result.hits.map((h) => h.document.id)).toEqual(before.hits.map((h) => h.document.id));
      expect(inside.tidying).not.toBeNull();
      await written;
      await new Promise((resolve) => setTimeout(resolve, 40));
      await tidy.settled();
      expect(untidy()).toBe(false);
      expect((await tidy.searchTools({ q: 'late', filters: {}, limit: 5 })).hits.map((h) => h.document.toolName)).toEqual(['late_arrival']);
      const after = await tidy.searchTools({ q: 'list branches', filters: {}, limit: 10 });
      // Same page (relevances moved a little: one more document changes every idf).
      expect(after.hits.map((h) => h.document.id)).toEqual(before.hits.map((h) => h.document.id));
      expect(await tidy.count()).toEqual({ servers: 0, tools: 60_001 });
      await tidy.close();
    });

    it('removes tools of a version even after they were renumbered', async () => {
      await index.upsertTools(Array.from({ length: 30 }, (_, i) => tool(`io.github.acme/s${i % 3}`, `tool${i}`, 'does things', [])));
      await index.removeVersion('io.github.acme/s1', '1.0.0');
      const result = await index.searchTools({ q: 'things', filters: {}, limit: 50 });
      expect(result.total).toBe(20);
      expect(result.hits.every((h) => h.document.serverName !== 'io.github.acme/s1')).toBe(true);
    });
  });
});
