import { type DynamicModule, Module } from '@nestjs/common';
import { NodeHttpFetcher, type PackageFetcher } from '@toolport/platform';
import { PackageVerifier } from './package-verifier';
import type { PackageVerificationOptions } from './package-verification.config';

export const PACKAGE_FETCHER = Symbol.for('toolport.publisher.PackageFetcher');

/**
 * Provides PackageVerifier to the whole publisher (global, like AuthModule), so the publish
 * controller injects it without importing this module. `fetcher` replaces the real outbound
 * HTTP client in tests.
 */
@Module({})
export class PackageVerificationModule {
  static forRoot(options: PackageVerificationOptions, fetcher?: PackageFetcher): DynamicModule {
    return {
      module: PackageVerificationModule,
      global: true,
      providers: [
        {
          provide: PACKAGE_FETCHER,
          useFactory: (): PackageFetcher => fetcher ?? new NodeHttpFetcher({ timeoutMs: options.timeoutMs, userAgent: options.userAgent }),
        },
        { provide: PackageVerifier, inject: [PACKAGE_FETCHER], useFactory: (packageFetcher: PackageFetcher) => new PackageVerifier(options, packageFetcher) },
      ],
      exports: [PackageVerifier, PACKAGE_FETCHER],
    };
  }
}
