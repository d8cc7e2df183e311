import { type DynamicModule, Module } from '@nestjs/common';
import type { PackageFetcher } from '@toolport/platform';
import { PackageVerifier } from './package-verifier';
import type { PackageVerificationOptions } from './package-verification.config';
import { createVerificationFetcher } from './verification-fetcher';

export const PACKAGE_FETCHER = Symbol.for('toolport.publisher.PackageFetcher');

/**
 * Provides PackageVerifier to the whole publisher (global, like AuthModule), so the publish
 * controller injects it without importing this module. The real outbound client refuses
 * internal addresses named by published data (createVerificationFetcher); `fetcher` replaces it
 * in tests.
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
          useFactory: (): PackageFetcher => fetcher ?? createVerificationFetcher(options),
        },
        { provide: PackageVerifier, inject: [PACKAGE_FETCHER], useFactory: (packageFetcher: PackageFetcher) => new PackageVerifier(options, packageFetcher) },
      ],
      exports: [PackageVerifier, PACKAGE_FETCHER],
    };
  }
}
