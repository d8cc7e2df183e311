import { TEST_MEILI_API_KEY, TEST_MEILI_URL, testInstanceName } from '@toolport/testing';
import { MeilisearchSearchIndex } from './meilisearch-search-index';
import { searchIndexContract } from './search-index.contract';

/** Where a locally started Meilisearch listens by default; MEILI_URL points the tests at one. */
const DEFAULT_MEILI_ADDRESS = 'http://127.0.0.1:7700';

if (TEST_MEILI_URL === null) {
  describe('MeilisearchSearchIndex without a server', () => {
    it(`NOT EXERCISED: no Meilisearch server is reachable (MEILI_URL is unset and nothing answers at ${DEFAULT_MEILI_ADDRESS}), so the SearchIndex contract does not run against Meilisearch on this machine`, async () => {
      const answered = await fetch(`${DEFAULT_MEILI_ADDRESS}/health`, { signal: AbortSignal.timeout(2_000) }).then(
        () => true,
        () => false,
      );
      // A server answering here means the contract could run: set MEILI_URL to run it.
      expect(answered).toBe(false);
    });
  });
} else {
  const meiliUrl = TEST_MEILI_URL;
  describe(`MeilisearchSearchIndex against ${meiliUrl}`, () => {
    let counter = 0;
    searchIndexContract(
      async () => {
        const index = new MeilisearchSearchIndex({ url: meiliUrl, apiKey: TEST_MEILI_API_KEY, indexPrefix: `${testInstanceName('meili')}_${counter++}`, taskTimeoutMs: 30_000 });
        await index.init();
        return index;
      },
      (index) => (index as MeilisearchSearchIndex).drop(),
    );
  });
}
