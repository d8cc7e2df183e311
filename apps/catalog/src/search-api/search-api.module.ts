import { type DynamicModule, Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CatalogSearch } from './catalog-search';
import { installSearchFastPath } from './search-fast-path';
import { SearchController } from './search.controller';

@Injectable()
class SearchFastPathInstaller implements OnModuleInit {
  constructor(
    @Inject(HttpAdapterHost) private readonly adapter: HttpAdapterHost,
    @Inject(CatalogSearch) private readonly search: CatalogSearch,
  ) {}
  onModuleInit(): void {
    installSearchFastPath(this.adapter.httpAdapter.getInstance(), this.search);
  }
}

/** `/api/v1/search`, `/api/v1/tools/search`, `/api/v1/servers/{name}/resolve`; CatalogSearch for the MCP endpoint. */
@Module({})
export class SearchApiModule {
  /** `search`: the one module instance providing SEARCH_INDEX (created in app.module.ts). */
  static forRoot(search: DynamicModule): DynamicModule {
    return { module: SearchApiModule, imports: [search], controllers: [SearchController], providers: [CatalogSearch, SearchFastPathInstaller], exports: [CatalogSearch] };
  }
}
