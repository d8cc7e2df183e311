import { type DynamicModule, Module } from '@nestjs/common';
import { CatalogSearch } from './catalog-search';
import { SearchController } from './search.controller';

/** `/api/v1/search`, `/api/v1/tools/search`, `/api/v1/servers/{name}/resolve`; CatalogSearch for the MCP endpoint. */
@Module({})
export class SearchApiModule {
  /** `search`: the one module instance providing SEARCH_INDEX (created in app.module.ts). */
  static forRoot(search: DynamicModule): DynamicModule {
    return { module: SearchApiModule, imports: [search], controllers: [SearchController], providers: [CatalogSearch], exports: [CatalogSearch] };
  }
}
