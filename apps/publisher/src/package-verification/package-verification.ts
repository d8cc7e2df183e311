import { type Package, type ServerDetail, ToolportError } from '@toolport/contracts';
import type { PackageFetcher } from '@toolport/platform';
import { mcpbValidator } from './mcpb.validator';
import { npmValidator } from './npm.validator';
import { ociValidator } from './oci.validator';
import type { PackageCheck, PackageValidator } from './package-validator';
import type { PackageVerificationOptions } from './package-verification.config';
import { pypiValidator } from './pypi.validator';
import { normalizeRegistryUrl } from './registry-urls';
import { errorIssue, type VerificationIssue, warningIssue } from './verification-issue';

const VALIDATORS: Readonly<Record<string, PackageValidator>> = {
  npm: npmValidator,
  pypi: pypiValidator,
  mcpb: mcpbValidator,
  oci: ociValidator,
};

/** Packages checked at once: a server.json may list many, each costing outbound requests. */
const CONCURRENCY = 4;

/**
 * Runs the ownership check of every package whose ecosystem is enabled and returns what it
 * found, in package order. Never throws for what a registry answers: an unreachable registry
 * is an error issue marked `retryable`, so a publish cannot pass with a check skipped.
 */
export async function verifyPackages(server: ServerDetail, options: PackageVerificationOptions, fetcher: PackageFetcher): Promise<VerificationIssue[]> {
  if (!options.enabled) return [];
  const packages = server.packages ?? [];
  const results: VerificationIssue[][] = packages.map(() => []);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < packages.length) {
      const index = next++;
      results[index] = await verifyPackage(server.name, packages[index] as Package, `packages[${index}]`, options, fetcher);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, packages.length) }, worker));
  return results.flat();
}

async function verifyPackage(serverName: string, pkg: Package, path: string, options: PackageVerificationOptions, fetcher: PackageFetcher): Promise<VerificationIssue[]> {
  const validator = VALIDATORS[pkg.registryType];
  if (validator === undefined) {
    return [warningIssue(`${path}.registryType`, `ownership of '${pkg.registryType}' packages is not verified by this registry`)];
  }
  if (!isEnabled(pkg.registryType, options)) return [];
  const check: Omit<PackageCheck, 'baseUrl'> = {
    serverName,
    pkg,
    path,
    fetcher,
    allowedRegistryUrls: options.allowedRegistryUrls,
    maxDocumentBytes: options.maxDocumentBytes,
    maxFileBytes: options.maxFileBytes,
  };
  const defaultUrl = defaultRegistryUrl(pkg.registryType, options);
  if (defaultUrl === null) {
    // mcpb and OCI take their location from the identifier; the official registry rejects a
    // registryBaseUrl for both, so it can only mislead here.
    const ignored = pkg.registryBaseUrl ? [warningIssue(`${path}.registryBaseUrl`, `registryBaseUrl is ignored for ${pkg.registryType} packages: the identifier says where the package is`)] : [];
    return [...ignored, ...(await validator.validate({ ...check, baseUrl: '' }))];
  }
  if (pkg.registryBaseUrl === undefined || pkg.registryBaseUrl === '') return validator.validate({ ...check, baseUrl: defaultUrl });
  const allowed = [defaultUrl, ...options.allowedRegistryUrls.filter((url) => url !== defaultUrl)];
  const requested = normalizeRegistryUrl(pkg.registryBaseUrl);
  if (requested === null || !allowed.includes(requested)) {
    return [errorIssue(`${path}.registryBaseUrl`, `registry base URL '${pkg.registryBaseUrl}' is not allowed for ${pkg.registryType} packages. Allowed: ${allowed.join(', ')}`)];
  }
  return validator.validate({ ...check, baseUrl: requested });
}

/**
 * Whether a publish that passed verification proves ownership of every package of `server`:
 * at least one package, and each of an ecosystem with a validator whose check is switched on
 * (a check that is off, or an ecosystem without one, proves nothing).
 */
export function ownershipProven(server: ServerDetail, options: PackageVerificationOptions): boolean {
  const packages = server.packages ?? [];
  return options.enabled && packages.length > 0 && packages.every((pkg) => VALIDATORS[pkg.registryType] !== undefined && isEnabled(pkg.registryType, options));
}

function isEnabled(registryType: string, options: PackageVerificationOptions): boolean {
  switch (registryType) {
    case 'npm':
      return options.npm.enabled;
    case 'pypi':
      return options.pypi.enabled;
    case 'mcpb':
      return options.mcpb.enabled;
    case 'oci':
      return options.oci.enabled;
    default:
      return false;
  }
}

function defaultRegistryUrl(registryType: string, options: PackageVerificationOptions): string | null {
  if (registryType === 'npm') return options.npm.registryUrl;
  if (registryType === 'pypi') return options.pypi.registryUrl;
  return null;
}

/**
 * The error a publish should fail with, or null when no issue is an error. Like the official
 * registry, an ownership failure is a 400; when every error is transient it is a 503 instead,
 * so clients and CI know that retrying can help.
 */
export function packageVerificationError(issues: readonly VerificationIssue[]): ToolportError | null {
  const errors = issues.filter((issue) => issue.severity === 'error');
  if (errors.length === 0) return null;
  const transient = errors.every((issue) => issue.retryable === true);
  return new ToolportError(
    transient ? 'unavailable' : 'invalid',
    transient ? 'PACKAGE_VERIFICATION_UNAVAILABLE' : 'PACKAGE_VERIFICATION_FAILED',
    transient
      ? `Package ownership could not be verified now; try again later: ${errors[0]!.message}`
      : `Failed to publish server: package ownership verification failed: ${errors[0]!.message}`,
    errors.map((issue) => ({ message: issue.message, location: issue.path })),
  );
}
