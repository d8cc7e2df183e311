import { createAddressPolicy, NodeHttpFetcher, type PackageFetcher, type Resolver } from '@toolport/platform';
import type { PackageVerificationOptions } from './package-verification.config';

/**
 * Origins the operator configured (TOOLPORT_NPM_REGISTRY_URL, TOOLPORT_PYPI_URL and every
 * TOOLPORT_ALLOWED_REGISTRY_URLS entry): reached wherever they resolve, so an internal mirror on
 * a private network, or a public registry reached through an egress proxy's reserved address,
 * works without exempting whole ranges from the guard. Scheme, host and port: a mirror's host
 * does not make its neighbours on other ports reachable.
 */
export function trustedRegistryOrigins(options: Pick<PackageVerificationOptions, 'npm' | 'pypi' | 'allowedRegistryUrls'>): string[] {
  const urls = [options.npm.registryUrl, options.pypi.registryUrl, ...options.allowedRegistryUrls];
  return [...new Set(urls.map((url) => new URL(url).origin))];
}

/**
 * The outbound client of package verification. Published data chooses what is fetched (an mcpb
 * URL, an OCI registry host, a token realm, every redirect hop, also one leaving a trusted host),
 * so a host that is, or resolves to, an address outside public unicast is refused before
 * connecting unless `allowCidrs` exempts it (SSRF: 169.254.169.254, loopback admin ports, the
 * internal network). `resolver` replaces the system resolver (tests).
 */
export function createVerificationFetcher(
  options: Pick<PackageVerificationOptions, 'timeoutMs' | 'userAgent' | 'allowCidrs' | 'npm' | 'pypi' | 'allowedRegistryUrls'>,
  resolver?: Resolver,
): PackageFetcher {
  return new NodeHttpFetcher({
    timeoutMs: options.timeoutMs,
    userAgent: options.userAgent,
    addressPolicy: createAddressPolicy(options.allowCidrs),
    trustedOrigins: trustedRegistryOrigins(options),
    ...(resolver ? { resolver } : {}),
  });
}
