import { type BeforeApplicationShutdown, type DynamicModule, Inject, Injectable, Module, type ModuleMetadata, type OnApplicationBootstrap } from '@nestjs/common';
import { createLogger } from '@toolport/observability';
import { SERVICE_RUNTIME, type ServiceRuntime } from '@toolport/platform';
import { SEARCH_INDEX, type SearchIndex } from '../search/search-index';
import { CatalogChanges } from './catalog-changes';
import { CatalogProjection } from './catalog-projection';
import { HealthEventsConsumer, PublisherEventsConsumer, ScannerEventsConsumer } from './catalog.consumers';
import { ServerChanges } from './server-changes';

@Injectable()
class CatalogChangesLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(CatalogChanges) private readonly changes: CatalogChanges,
    @Inject(ServerChanges) private readonly servers: ServerChanges,
  ) {}
  onApplicationBootstrap(): Promise<void> {
    // Commits by other catalog replicas reach this one's caches through the feed.
    this.changes.subscribe((change) => this.servers.changed(change.serverName));
    return this.changes.start();
  }
  // Before the platform's onApplicationShutdown closes the pool the catch-up reads through.
  beforeApplicationShutdown(): Promise<void> {
    return this.changes.stop();
  }
}

export interface CatalogReadModelModuleOptions {
  /** Modules providing SEARCH_INDEX (the search adapter chosen at start). */
  imports?: ModuleMetadata['imports'];
}

/**
 * The catalog's read model: the three projections (publisher, scanner, health streams), the
 * search-document writes that go with them, and the change feed (CatalogChanges, exported).
 */
@Module({})
export class CatalogReadModelModule {
  static forRoot(options: CatalogReadModelModuleOptions = {}): DynamicModule {
    return {
      module: CatalogReadModelModule,
      imports: options.imports ?? [],
      providers: [
        { provide: ServerChanges, useFactory: () => new ServerChanges() },
        {
          provide: CatalogProjection,
          inject: [SERVICE_RUNTIME, SEARCH_INDEX, ServerChanges],
          useFactory: (runtime: ServiceRuntime, search: SearchIndex, changes: ServerChanges) => new CatalogProjection(runtime.schema, search, changes),
        },
        {
          provide: CatalogChanges,
          inject: [SERVICE_RUNTIME],
          useFactory: (runtime: ServiceRuntime) => {
            const logger = createLogger({ service: runtime.config.service, level: runtime.config.logLevel });
            return new CatalogChanges({
              pool: runtime.pool,
              schema: runtime.schema,
              onError: (error) => logger.warn({ err: error }, 'catalog change feed: listening connection failed; reconnecting'),
            });
          },
        },
        CatalogChangesLifecycle,
        PublisherEventsConsumer,
        ScannerEventsConsumer,
        HealthEventsConsumer,
      ],
      exports: [CatalogChanges, CatalogProjection, ServerChanges],
    };
  }
}
