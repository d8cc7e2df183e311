import { type DynamicModule, Module } from '@nestjs/common';
import { type ServiceRuntime, serviceModule } from '@toolport/platform';
import type { CatalogConfig } from './config';
import { ChangesFeedModule } from './changes-feed/changes-feed.module';
import { CatalogMcpModule } from './mcp/mcp.module';
import { OfficialApiModule } from './official-api/official-api.module';
import { CatalogReadModelModule } from './read-model/read-model.module';
import { CatalogSearchIndexModule } from './read-model/search-index.module';
import { SearchApiModule } from './search-api/search-api.module';
import { VisibilityModule } from './visibility/visibility.module';

/** Read models built only from events: what agents and people query. */
@Module({})
export class CatalogModule {}

export interface CatalogAppOptions {
  /** The module providing SEARCH_INDEX (default: the configured engine, filled from the read model). */
  search?: DynamicModule;
}

export function catalogAppModule(runtime: ServiceRuntime, config: CatalogConfig, options: CatalogAppOptions = {}): DynamicModule {
  const search = options.search ?? CatalogSearchIndexModule.forRoot(config.search);
  // Built once and imported by reference wherever needed: one read model, one CatalogSearch.
  const readModel = CatalogReadModelModule.forRoot({ imports: [search] });
  const searchApi = SearchApiModule.forRoot(search);
  return serviceModule(CatalogModule, runtime, {
    relay: false,
    imports: [
      VisibilityModule.forRoot(config.visibility),
      readModel,
      OfficialApiModule,
      searchApi,
      CatalogMcpModule.forRoot(searchApi),
      ChangesFeedModule.forRoot(readModel),
    ],
  });
}
