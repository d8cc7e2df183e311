import type { Package } from '@toolport/contracts';
import type { PackageFetcher } from '@toolport/platform';
import type { VerificationIssue } from './verification-issue';

/** Everything one validator needs to check one package; built by verifyPackages. */
export interface PackageCheck {
  serverName: string;
  pkg: Package;
  /** JSON path of the package, e.g. `packages[2]`; issues point below it. */
  path: string;
  fetcher: PackageFetcher;
  /** Registry base URL to query (npm, PyPI): the package's own if allowed, else the configured default; empty for mcpb and OCI, whose identifier says where they are. */
  baseUrl: string;
  /** Normalized registry URLs the operator added (TOOLPORT_ALLOWED_REGISTRY_URLS): internal npm, PyPI, OCI or file servers. */
  allowedRegistryUrls: readonly string[];
  /** Limit for JSON documents (package metadata, manifests, tokens). */
  maxDocumentBytes: number;
  /** Limit for downloaded files (mcpb bundles). */
  maxFileBytes: number;
}

/** One validator per ecosystem, as in the official registry's `internal/validators/registries`. */
export interface PackageValidator {
  readonly registryType: string;
  validate(check: PackageCheck): Promise<VerificationIssue[]>;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
