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

    it('removes tools of a version even after they were renumbered', async () => {
      await index.upsertTools(Array.from({ length: 30 }, (_, i) => tool(`io.github.acme/s${i % 3}`, `tool${i}`, 'does things', [])));
      await index.removeVersion('io.github.acme/s1', '1.0.0');
      const result = await index.searchTools({ q: 'things', filters: {}, limit: 50 });
      expect(result.total).toBe(20);
      expect(result.hits.every((h) => h.document.serverName !== 'io.github.acme/s1')).toBe(true);
    });
  });
});
