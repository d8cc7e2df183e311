import { type DynamicModule, Global, Module } from '@nestjs/common';
import { CATALOG_VISIBILITY } from './visibility';
import type { VisibilityOptions } from './visibility.config';

/** Makes the visibility mode injectable (CATALOG_VISIBILITY) for every catalog feature: lists, search, MCP. */
@Global()
@Module({})
export class VisibilityModule {
  static forRoot(options: VisibilityOptions): DynamicModule {
    return { module: VisibilityModule, providers: [{ provide: CATALOG_VISIBILITY, useValue: options }], exports: [CATALOG_VISIBILITY] };
  }
}
