import { type DynamicModule, Inject, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { createLogger } from '@toolport/observability';
import { SERVICE_RUNTIME, type ServiceRuntime } from '@toolport/platform';
import { CatalogChanges } from '../read-model/catalog-changes';
import { ChangeFeed } from './change-feed';
import { ChangesFeedController } from './changes-feed.controller';

@Injectable()
class ChangeFeedShutdown implements OnModuleDestroy {
  constructor(@Inject(ChangeFeed) private readonly feed: ChangeFeed) {}
  // First of the shutdown hooks: open streams would keep the HTTP server from closing.
  onModuleDestroy(): void {
    this.feed.closeAll();
  }
}

/** `GET /api/v1/changes` (Server-Sent Events) over CatalogChanges. */
@Module({})
export class ChangesFeedModule {
  /** `readModel`: the very CatalogReadModelModule.forRoot(...) object app.module.ts imports (one CatalogChanges). */
  static forRoot(readModel: DynamicModule): DynamicModule {
    return {
      module: ChangesFeedModule,
      imports: [readModel],
      controllers: [ChangesFeedController],
      providers: [
        {
          provide: ChangeFeed,
          inject: [CatalogChanges, SERVICE_RUNTIME],
          useFactory: (changes: CatalogChanges, runtime: ServiceRuntime) => {
            const logger = createLogger({ service: runtime.config.service, level: runtime.config.logLevel });
            return new ChangeFeed(changes, { onError: (error) => logger.warn({ err: error }, 'change feed: reading stored changes failed; stream ended') });
          },
        },
        ChangeFeedShutdown,
      ],
    };
  }
}
