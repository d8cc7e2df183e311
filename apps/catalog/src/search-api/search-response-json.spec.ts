import { EmbeddedSearchIndex } from '../search/embedded-search-index';
import { server, tool } from '../search/search-index.contract';
import { CatalogSearch } from './catalog-search';
import { parseSearchQuery } from './search-query';

describe('search answers as JSON text', () => {
  it('is the JSON of the search objects, key for key, with documents serialised once', async () => {
    const index = new EmbeddedSearchIndex();
    await index.upsertServers([
      server('io.github.acme/weather', { title: 'Weather <now>', description: 'Forecasts "here"', toolNames: ['get_forecast'], trustLevel: 'verified', health: 'healthy' }),
      server('io.github.acme/weather-two', { description: 'More weather', registryTypes: ['npm'], transports: ['stdio'] }),
    ]);
    await index.upsertTools([tool('io.github.acme/weather', 'get_forecast', 'Forecast for a city', ['city'])]);
    const search = new CatalogSearch(index, { mode: 'all' }, {} as never, {} as never);
    for (const raw of [{ q: 'weather' }, { q: 'weather', limit: '1' }, { q: 'nothing-matches' }, { q: '' }]) {
      const query = parseSearchQuery(raw);
      expect(await search.searchServersJson(query, null)).toBe(JSON.stringify(await search.searchServers(query, null)));
      // Second time from the kept document text.
      expect(await search.searchServersJson(query, null)).toBe(JSON.stringify(await search.searchServers(query, null)));
      expect(await search.searchToolsJson(query, null)).toBe(JSON.stringify(await search.searchTools(query, null)));
    }
  });
});
