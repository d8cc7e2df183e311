import { tmpdir } from 'node:os';
import { type EnvReader, redactUrl } from '@toolport/config';
import { createAddressPolicy, NodeHttpFetcher, type PackageFetcher, parseAllowCidrs, type Resolver } from '@toolport/platform';
import { DEFAULT_UNPACK_LIMITS, type UnpackLimits } from './unpack-limits';

export interface ArtifactConfig {
  /** Registry for npm packages whose server.json names no registryBaseUrl. */
  npmRegistryUrl: string;
  /** Base of the PyPI JSON API for PyPI packages without registryBaseUrl. */
  pypiUrl: string;
  /** Whole-request limit (connection, redirects and body) of every download. */
  requestTimeoutMs: number;
  /** Largest artifact downloaded (compressed bytes). */
  maxDownloadBytes: number;
  /** Largest metadata document read (npm version document, PyPI release JSON). */
  maxDocumentBytes: number;
  /** Where zip artifacts are written while hashed (a fresh folder per fetch, always removed). */
  tempDir: string;
  limits: UnpackLimits;
  userAgent: string;
  /**
   * Ranges exempt from the address policy (canonical CIDRs). Every other private, loopback,
   * link-local, metadata... address is refused, however the URL names it (published URLs and
   * their redirects are attacker-controlled: SSRF).
   */
  allowCidrs: string[];
}

export const DEFAULT_SCANNER_NPM_REGISTRY = 'https://registry.npmjs.org';
export const DEFAULT_SCANNER_PYPI_URL = 'https://pypi.org';
export const ARTIFACT_USER_AGENT = 'Toolport-Scanner/1.0 (artifact scan; never executes packages)';
const MIB = 1024 * 1024;

/**
 * The artifact fetcher's settings (problems collected in `read`; the caller's `read.done()` reports them):
 *
 * - TOOLPORT_SCANNER_NPM_REGISTRY             default https://registry.npmjs.org
 * - TOOLPORT_SCANNER_PYPI_URL                 default https://pypi.org
 * - TOOLPORT_SCANNER_FETCH_TIMEOUT_MS         default 60000, per request (body included)
 * - TOOLPORT_SCANNER_MAX_DOWNLOAD_BYTES       default 104857600 (100 MiB)
 * - TOOLPORT_SCANNER_MAX_DOCUMENT_BYTES       default 10485760 (10 MiB)
 * - TOOLPORT_SCANNER_TEMP_DIR                 default the OS temp folder
 * - TOOLPORT_SCANNER_MAX_INFLATED_BYTES       default 209715200 (200 MiB)
 * - TOOLPORT_SCANNER_MAX_ENTRIES              default 20000
 * - TOOLPORT_SCANNER_MAX_ENTRY_BYTES          default 67108864 (64 MiB)
 * - TOOLPORT_SCANNER_MAX_COMPRESSION_RATIO    default 100
 * - TOOLPORT_SCANNER_RATIO_FLOOR_BYTES        default 2097152 (2 MiB)
 * - TOOLPORT_SCANNER_MAX_TEXT_BYTES           default 1048576 (1 MiB) per file
 * - TOOLPORT_SCANNER_MAX_TOTAL_TEXT_BYTES     default 67108864 (64 MiB) per package
 * - TOOLPORT_SCANNER_ALLOW_CIDRS              default empty: comma-separated CIDRs the scanner may fetch
 *                                             from although they are private/loopback/link-local
 *                                             (an internal registry, e.g. `10.20.0.0/16`)
 */
export function readArtifactConfig(read: EnvReader): ArtifactConfig {
  const d = DEFAULT_UNPACK_LIMITS;
  const limits: UnpackLimits = {
    maxInflatedBytes: read.int('TOOLPORT_SCANNER_MAX_INFLATED_BYTES', d.maxInflatedBytes, { min: 1024, max: 16 * 1024 * MIB }),
    maxEntries: read.int('TOOLPORT_SCANNER_MAX_ENTRIES', d.maxEntries, { min: 1, max: 10_000_000 }),
    maxEntryBytes: read.int('TOOLPORT_SCANNER_MAX_ENTRY_BYTES', d.maxEntryBytes, { min: 1, max: 16 * 1024 * MIB }),
    maxCompressionRatio: read.int('TOOLPORT_SCANNER_MAX_COMPRESSION_RATIO', d.maxCompressionRatio, { min: 2, max: 100_000 }),
    ratioFloorBytes: read.int('TOOLPORT_SCANNER_RATIO_FLOOR_BYTES', d.ratioFloorBytes, { min: 0, max: 1024 * MIB }),
    maxTextBytes: read.int('TOOLPORT_SCANNER_MAX_TEXT_BYTES', d.maxTextBytes, { min: 1, max: 256 * MIB }),
    maxTotalTextBytes: read.int('TOOLPORT_SCANNER_MAX_TOTAL_TEXT_BYTES', d.maxTotalTextBytes, { min: 1, max: 4096 * MIB }),
  };
  read.check('TOOLPORT_SCANNER_MAX_ENTRY_BYTES', limits.maxEntryBytes <= limits.maxInflatedBytes, 'must not exceed TOOLPORT_SCANNER_MAX_INFLATED_BYTES');
  const allow = parseAllowCidrs(read.string('TOOLPORT_SCANNER_ALLOW_CIDRS', ''));
  read.check('TOOLPORT_SCANNER_ALLOW_CIDRS', allow.invalid.length === 0, `has entries that are not CIDRs: ${allow.invalid.join(', ')}`);
  return {
    npmRegistryUrl: baseUrl(read, 'TOOLPORT_SCANNER_NPM_REGISTRY', DEFAULT_SCANNER_NPM_REGISTRY),
    pypiUrl: baseUrl(read, 'TOOLPORT_SCANNER_PYPI_URL', DEFAULT_SCANNER_PYPI_URL),
    requestTimeoutMs: read.int('TOOLPORT_SCANNER_FETCH_TIMEOUT_MS', 60_000, { min: 100, max: 3_600_000 }),
    maxDownloadBytes: read.int('TOOLPORT_SCANNER_MAX_DOWNLOAD_BYTES', 100 * MIB, { min: 1024, max: 16 * 1024 * MIB }),
    maxDocumentBytes: read.int('TOOLPORT_SCANNER_MAX_DOCUMENT_BYTES', 10 * MIB, { min: 1024, max: 1024 * MIB }),
    tempDir: read.string('TOOLPORT_SCANNER_TEMP_DIR', tmpdir()),
    limits,
    userAgent: ARTIFACT_USER_AGENT,
    allowCidrs: allow.cidrs,
  };
}

/**
 * Origins the operator chose (TOOLPORT_SCANNER_NPM_REGISTRY, TOOLPORT_SCANNER_PYPI_URL, and PyPI's
 * file host when the default PyPI is used): reached wherever they resolve, so an internal mirror
 * on a private network, or a registry reached through an egress proxy's private or reserved
 * address, works without exempting whole ranges from the guard. Only those origins: another
 * port of the same host is checked like any URL.
 */
export function trustedOrigins(config: Pick<ArtifactConfig, 'npmRegistryUrl' | 'pypiUrl'>): string[] {
  const origins = [new URL(config.npmRegistryUrl).origin, new URL(config.pypiUrl).origin];
  if (config.pypiUrl === DEFAULT_SCANNER_PYPI_URL) origins.push(PYPI_FILES_ORIGIN);
  return origins;
}

/** Where pypi.org's JSON API points its sdists and wheels. */
const PYPI_FILES_ORIGIN = 'https://files.pythonhosted.org';

/**
 * The HTTP client the fetchers expect, bounded by the config's timeout. Every URL that published
 * data chose (a `registryBaseUrl` elsewhere, a tarball or file on another host, an mcpb bundle,
 * every redirect hop, also one leaving a trusted host) is refused before connecting when its host
 * is, or resolves to, an address outside public unicast that `allowCidrs` does not exempt; the
 * operator's own registry origins (trustedOrigins) are not. `resolver` replaces the system resolver (tests).
 */
export function createArtifactHttpFetcher(config: Pick<ArtifactConfig, 'requestTimeoutMs' | 'userAgent' | 'allowCidrs' | 'npmRegistryUrl' | 'pypiUrl'>, resolver?: Resolver): PackageFetcher {
  return new NodeHttpFetcher({
    timeoutMs: config.requestTimeoutMs,
    userAgent: config.userAgent,
    maxRedirects: 5,
    addressPolicy: createAddressPolicy(config.allowCidrs),
    trustedOrigins: trustedOrigins(config),
    ...(resolver ? { resolver } : {}),
  });
}

function baseUrl(read: EnvReader, name: string, fallback: string): string {
  const raw = read.optional(name);
  if (raw === null) return fallback;
  try {
    const url = new URL(raw);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && !url.search && !url.hash) return raw.replace(/\/+$/, '');
  } catch {
    // reported below
  }
  read.problems.push(`${name}=${redactUrl(raw)} must be an http or https URL without query or fragment`);
  return fallback;
}
