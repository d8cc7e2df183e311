import { type DynamicModule, Module } from '@nestjs/common';
import { createLogger } from '@toolport/observability';
import { SERVICE_RUNTIME, type ServiceRuntime } from '@toolport/platform';
import { ServersRepository } from '../official-api/servers.repository';
import { CatalogSearch } from '../search-api/catalog-search';
import { CatalogMcpServers } from './catalog-mcp-servers';
import { McpController } from './mcp.controller';

/** `/mcp`: the catalog's own MCP server (search_servers, search_tools, get_server, resolve_version). */
@Module({})
export class CatalogMcpModule {
  /**
   * `searchApi`: the very SearchApiModule.forRoot(...) object app.module.ts imports, so both use
   * one CatalogSearch over one search index (Nest shares a dynamic module by reference);
   * `officialApi` likewise the OfficialApiModule.forRoot(...) object (one ServersRepository).
   */
  static forRoot(searchApi: DynamicModule, officialApi: DynamicModule): DynamicModule {
    return {
      module: CatalogMcpModule,
      imports: [searchApi, officialApi],
      controllers: [McpController],
      providers: [
        {
          provide: CatalogMcpServers,
          inject: [CatalogSearch, ServersRepository, SERVICE_RUNTIME],
          useFactory: (search: CatalogSearch, servers: ServersRepository, runtime: ServiceRuntime) => {
            const logger = createLogger({ service: runtime.config.service, level: runtime.config.logLevel });
            return new CatalogMcpServers({
              search,
              servers,
              version: runtime.config.version,
              onUnexpectedError: (error) => logger.error({ err: error }, 'mcp: tool call failed'),
            });
          },
        },
      ],
    };
  }
}
