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
  const officialApi = OfficialApiModule.forRoot(readModel, { responseCacheBytes: config.responseCacheBytes });
  return serviceModule(CatalogModule, runtime, {
    // The catalog owns no aggregate, but it authenticates requests like every service and
    // appends the bursts of failed authentications it sees; its relay publishes them on the
    // catalog stream, where the audit service reads them (audit-catalog-events).
    relay: true,
    imports: [
      VisibilityModule.forRoot(config.visibility),
      readModel,
      officialApi,
      searchApi,
      CatalogMcpModule.forRoot(searchApi, officialApi),
      ChangesFeedModule.forRoot(readModel),
    ],
  });
}
