import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { TokensController } from './tokens.controller';
import { resolveTokensOptions, TOKENS_OPTIONS, type TokensOptions } from './tokens.options';

/**
 * `POST /api/v1/tokens` and `DELETE /api/v1/tokens/{id}`. Needs AuthModule (TokenService, the
 * guard) and an EVENT_STORE provider from the importing app (the publisher's store).
 */
@Module({})
export class TokensModule {
  /** `imports`: the module exporting EVENT_STORE, unless the app provides it globally. */
  static forRoot(options: TokensOptions & { imports?: ModuleMetadata['imports'] } = {}): DynamicModule {
    const { imports = [], ...tokenOptions } = options;
    return {
      module: TokensModule,
      imports,
      controllers: [TokensController],
      providers: [{ provide: TOKENS_OPTIONS, useValue: resolveTokensOptions(tokenOptions) }],
    };
  }
}
