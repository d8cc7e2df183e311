import { type EnvReader, redactUrl } from '@toolport/config';
import { parseAllowCidrs } from '@toolport/platform';
import { normalizeRegistryUrl } from './registry-urls';

export interface PackageVerificationOptions {
  /** TOOLPORT_VERIFY_PACKAGES: false means no check and no warning at all. */
  enabled: boolean;
  npm: { enabled: boolean; registryUrl: string };
  pypi: { enabled: boolean; registryUrl: string };
  mcpb: { enabled: boolean };
  oci: { enabled: boolean };
  /** Normalized extra registry URLs a package may name (besides each ecosystem's default). */
  allowedRegistryUrls: readonly string[];
  /** Per request, redirects and body included. */
  timeoutMs: number;
  /** Largest mcpb bundle downloaded to check its SHA-256. */
  maxFileBytes: number;
  /** Largest JSON document read (npm version document, PyPI release JSON, OCI manifest, config, token). */
  maxDocumentBytes: number;
  userAgent: string;
  /**
   * Ranges exempt from the address policy (canonical CIDRs). Every other loopback, private,
   * link-local, metadata... address that published data names (an mcpb URL, an OCI registry, a
   * redirect) is refused; the configured registry hosts are trusted wherever they resolve.
   */
  allowCidrs: readonly string[];
}

export const DEFAULT_NPM_REGISTRY_URL = 'https://registry.npmjs.org';
export const DEFAULT_PYPI_URL = 'https://pypi.org';
export const PACKAGE_VERIFICATION_USER_AGENT = 'Toolport-Registry-Validator/1.0 (package ownership verification)';
const MIB = 1024 * 1024;

/**
 * Package-ownership settings, read through the publisher's EnvReader (problems are collected
 * there; the caller's `read.done()` reports them):
 *
 * - TOOLPORT_VERIFY_PACKAGES       default true. false turns every ownership check off (like the
 *                                  official MCP_REGISTRY_ENABLE_REGISTRY_VALIDATION=false).
 * - TOOLPORT_VERIFY_NPM            default true. npm: version document's `mcpName` = server name.
 * - TOOLPORT_VERIFY_PYPI           default true. PyPI: README contains `mcp-name: <server name>`.
 * - TOOLPORT_VERIFY_MCPB           default true. mcpb: downloaded bundle hashes to `fileSha256`.
 * - TOOLPORT_VERIFY_OCI            default false: OCI images need the registry's network and Docker
 *                                  Hub rate-limits anonymous pulls. Checks the server-name label.
 * - TOOLPORT_NPM_REGISTRY_URL      default https://registry.npmjs.org. Queried for npm packages that
 *                                  name no registryBaseUrl (point it at an internal mirror).
 * - TOOLPORT_PYPI_URL              default https://pypi.org. Same for PyPI.
 * - TOOLPORT_ALLOWED_REGISTRY_URLS default empty. Comma-separated http(s) URLs a package may name
 *                                  as registryBaseUrl besides the defaults (an internal Verdaccio,
 *                                  Artifactory or devpi); their hosts are also accepted as OCI
 *                                  registries (http:// entries make that registry's API plain
 *                                  http), and mcpb downloads under them may use http.
 * - TOOLPORT_VERIFY_TIMEOUT_MS     default 10000 (the official validators' 10 s). Per request.
 * - TOOLPORT_VERIFY_MAX_BYTES      default 52428800 (50 MiB). Largest mcpb bundle downloaded.
 * - TOOLPORT_VERIFY_MAX_JSON_BYTES default 5242880 (5 MiB). Largest metadata document read.
 * - TOOLPORT_PUBLISHER_ALLOW_CIDRS default empty. Comma-separated CIDRs verification may connect to
 *                                  although they are loopback/private/link-local (an internal
 *                                  registry reached through a URL that published data names). The
 *                                  hosts of the three registry settings above are trusted anyway.
 */
export function parsePackageVerificationConfig(read: EnvReader): PackageVerificationOptions {
  const all = read.bool('TOOLPORT_VERIFY_PACKAGES', true);
  const npmUrl = registryUrl(read, 'TOOLPORT_NPM_REGISTRY_URL', DEFAULT_NPM_REGISTRY_URL);
  const pypiUrl = registryUrl(read, 'TOOLPORT_PYPI_URL', DEFAULT_PYPI_URL);
  const allowed: string[] = [];
  for (const entry of (read.optional('TOOLPORT_ALLOWED_REGISTRY_URLS') ?? '').split(',').map((item) => item.trim()).filter(Boolean)) {
    const normalized = normalizeRegistryUrl(entry);
    if (normalized === null) read.problems.push(`TOOLPORT_ALLOWED_REGISTRY_URLS entry '${redactUrl(entry)}' must be an http or https URL without credentials, query or fragment`);
    else if (!allowed.includes(normalized)) allowed.push(normalized);
  }
  const allow = parseAllowCidrs(read.string('TOOLPORT_PUBLISHER_ALLOW_CIDRS', ''));
  read.check('TOOLPORT_PUBLISHER_ALLOW_CIDRS', allow.invalid.length === 0, `has entries that are not CIDRs: ${allow.invalid.join(', ')}`);
  return {
    enabled: all,
    npm: { enabled: read.bool('TOOLPORT_VERIFY_NPM', true) && all, registryUrl: npmUrl },
    pypi: { enabled: read.bool('TOOLPORT_VERIFY_PYPI', true) && all, registryUrl: pypiUrl },
    mcpb: { enabled: read.bool('TOOLPORT_VERIFY_MCPB', true) && all },
    oci: { enabled: read.bool('TOOLPORT_VERIFY_OCI', false) && all },
    allowedRegistryUrls: allowed,
    timeoutMs: read.int('TOOLPORT_VERIFY_TIMEOUT_MS', 10_000, { min: 100, max: 300_000 }),
    maxFileBytes: read.int('TOOLPORT_VERIFY_MAX_BYTES', 50 * MIB, { min: 1024, max: 2048 * MIB }),
    maxDocumentBytes: read.int('TOOLPORT_VERIFY_MAX_JSON_BYTES', 5 * MIB, { min: 1024, max: 256 * MIB }),
    userAgent: PACKAGE_VERIFICATION_USER_AGENT,
    allowCidrs: allow.cidrs,
  };
}

function registryUrl(read: EnvReader, name: string, fallback: string): string {
  const raw = read.optional(name);
  if (raw === null) return fallback;
  const normalized = normalizeRegistryUrl(raw);
  if (normalized === null) {
    read.problems.push(`${name}=${redactUrl(raw)} must be an http or https URL without credentials, query or fragment`);
    return fallback;
  }
  return normalized;
}
