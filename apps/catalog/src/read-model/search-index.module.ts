import { type DynamicModule, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { SERVICE_RUNTIME, type ServiceRuntime } from '@toolport/platform';
import { createSearchIndex, type SearchConfig } from '../search/search-config';
import { SEARCH_INDEX, type SearchIndex } from '../search/search-index';
import type { Db } from './db';
import { CATALOG_TABLES } from './read-model.migrations';
import { readModelDocuments } from './search-documents.query';

@Injectable()
class SearchIndexCloser implements OnApplicationShutdown {
  constructor(@Inject(SEARCH_INDEX) private readonly index: SearchIndex) {}
  onApplicationShutdown(): Promise<void> {
    return this.index.close();
  }
}

/**
 * Fills the index from the read model when it does not hold one document per version: always
 * for the embedded engine (it starts empty), and for a Meilisearch index that is new, was wiped
 * or fell out of step (its rebuild swaps a new index in, so searches never see it half-built).
 */
export async function fillFromReadModel(index: SearchIndex, db: Db, schema: string): Promise<boolean> {
  const { rows } = await db.query<{ count: string }>(`SELECT count(*) FROM ${schema}.${CATALOG_TABLES.versions}`);
  if ((await index.count()).servers === Number(rows[0]!.count)) return false;
  const documents = readModelDocuments(db, schema);
  await index.rebuild(documents.servers, documents.tools);
  return true;
}

/**
 * SEARCH_INDEX for the catalog: Meilisearch when MEILI_URL is set, the embedded engine
 * otherwise (search/search-config.ts), filled before the application bootstraps. Providers are
 * created before any onApplicationBootstrap hook, so the projections (started by
 * MessagingModule at bootstrap) write only into a filled index.
 */
@Module({})
export class CatalogSearchIndexModule {
  static forRoot(config: SearchConfig): DynamicModule {
    return {
      module: CatalogSearchIndexModule,
      providers: [
        {
          provide: SEARCH_INDEX,
          inject: [SERVICE_RUNTIME],
          useFactory: async (runtime: ServiceRuntime): Promise<SearchIndex> => {
            const index = createSearchIndex(config, runtime.config.instance);
            await index.init();
            await fillFromReadModel(index, runtime.pool, runtime.schema);
            return index;
          },
        },
        SearchIndexCloser,
      ],
      exports: [SEARCH_INDEX],
    };
  }
}
