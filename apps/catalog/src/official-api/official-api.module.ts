import { type BeforeApplicationShutdown, type DynamicModule, Inject, Injectable, Module, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { createLogger } from '@toolport/observability';
import { HttpAdapterHost } from '@nestjs/core';
import { SERVICE_RUNTIME, type ServiceRuntime } from '@toolport/platform';
import { ServerChanges } from '../read-model/server-changes';
import { ServersController } from './servers.controller';
import { ServersRepository } from './servers.repository';
import { VersionCacheRefill } from './version-cache-refill';
import { VersionResponseCache } from './version-response-cache';
import { installVersionFastPath } from './version-fast-path';
import { CATALOG_VISIBILITY } from '../visibility/visibility';
import type { VisibilityOptions } from '../visibility/visibility.config';

@Injectable()
class VersionCacheLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(VersionCacheRefill) private readonly refill: VersionCacheRefill) {}
  // Not awaited: the catalog serves (from PostgreSQL) while the cache fills.
  onApplicationBootstrap(): void {
    void this.refill.start();
  }
  // Before the platform closes the pool the refill reads through.
  beforeApplicationShutdown(): Promise<void> {
    return this.refill.stop();
  }
}

@Injectable()
class VersionFastPathInstaller implements OnModuleInit {
  constructor(
    @Inject(HttpAdapterHost) private readonly adapter: HttpAdapterHost,
    @Inject(VersionResponseCache) private readonly cache: VersionResponseCache,
    @Inject(CATALOG_VISIBILITY) private readonly visibility: VisibilityOptions,
  ) {}
  onModuleInit(): void {
    installVersionFastPath(this.adapter.httpAdapter.getInstance(), this.cache, this.visibility.mode);
  }
}

export interface OfficialApiOptions {
  /** Memory for cached version answers (0: no cache). */
  responseCacheBytes: number;
}

/** `/v0(.1)/servers…` over the read model. Needs CATALOG_VISIBILITY (VisibilityModule). */
@Module({})
export class OfficialApiModule {
  /** `readModel`: the very CatalogReadModelModule.forRoot(...) object app.module.ts imports (one ServerChanges). */
  static forRoot(readModel: DynamicModule, options: OfficialApiOptions): DynamicModule {
    return {
      module: OfficialApiModule,
      imports: [readModel],
      controllers: [ServersController],
      providers: [
        { provide: ServersRepository, inject: [SERVICE_RUNTIME], useFactory: (runtime: ServiceRuntime) => new ServersRepository(runtime.pool, runtime.schema) },
        { provide: VersionResponseCache, useFactory: () => new VersionResponseCache(options.responseCacheBytes) },
        {
          provide: VersionCacheRefill,
          inject: [VersionResponseCache, ServerChanges, SERVICE_RUNTIME, CATALOG_VISIBILITY],
          useFactory: (cache: VersionResponseCache, changes: ServerChanges, runtime: ServiceRuntime, visibility: VisibilityOptions) => {
            const logger = createLogger({ service: runtime.config.service, level: runtime.config.logLevel });
            const refill = new VersionCacheRefill(cache, runtime.pool, runtime.schema, visibility.mode, (error) =>
              logger.warn({ err: error }, 'version cache refill failed; those answers are read on request'),
            );
            changes.subscribe((serverName) => {
              cache.drop(serverName);
              refill.changed(serverName);
            });
            return refill;
          },
        },
        VersionFastPathInstaller,
        VersionCacheLifecycle,
      ],
      exports: [ServersRepository, VersionResponseCache],
    };
  }
}
