import type { Package } from '@toolport/contracts';
import type { PackageFetcher } from '@toolport/platform';
import type { PackageCheck } from '../package-validator';
import { parsePackageVerificationConfig, type PackageVerificationOptions } from '../package-verification.config';
import { EnvReader } from '@toolport/config';

export const SERVER_NAME = 'io.github.acme/thing';

/** A PackageCheck for one validator, as verifyPackages would build it for `packages[0]`. */
export function checkOf(pkg: Partial<Package> & Pick<Package, 'registryType' | 'identifier'>, fetcher: PackageFetcher, overrides: Partial<PackageCheck> = {}): PackageCheck {
  return {
    serverName: SERVER_NAME,
    pkg: { transport: { type: 'stdio' }, ...pkg },
    path: 'packages[0]',
    fetcher,
    baseUrl: '',
    allowedRegistryUrls: [],
    maxDocumentBytes: 64 * 1024,
    maxFileBytes: 1024 * 1024,
    ...overrides,
  };
}

/** Options as the environment `env` would give them (defaults for everything else). */
export function optionsFrom(env: Record<string, string> = {}): PackageVerificationOptions {
  const read = new EnvReader(env);
  const options = parsePackageVerificationConfig(read);
  read.done();
  return options;
}
