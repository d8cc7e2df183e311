import { EnvReader, type Env } from '@toolport/config';
import { parseAllowCidrs } from '@toolport/platform';

/** Settings of one probe (the prober's part of the health configuration). */
export interface ProbeConfig {
  /** Ranges exempt from the SSRF refusal rule, canonical CIDRs. */
  allowCidrs: string[];
  /** Whole probe: resolve, connect, initialize, every tools/list page. */
  timeoutMs: number;
  /** Cap on the bytes of any one response body (after decompression). */
  maxResponseBytes: number;
  maxRedirects: number;
  /** Cap on tools/list pages; a server that keeps returning a cursor fails the probe. */
  maxToolPages: number;
}

export const PROBE_CONFIG_DEFAULTS: ProbeConfig = {
  allowCidrs: [],
  timeoutMs: 10_000,
  maxResponseBytes: 4 * 1024 * 1024,
  maxRedirects: 5,
  maxToolPages: 100,
};

/**
 * Reads the probe settings. Pass the app's EnvReader to collect problems with the rest of the
 * configuration (the caller calls `done()`); given only `env`, it throws ConfigError itself.
 */
export function readProbeConfig(env: Env, reader?: EnvReader): ProbeConfig {
  const read = reader ?? new EnvReader(env);
  const { cidrs, invalid } = parseAllowCidrs(read.string('TOOLPORT_HEALTH_ALLOW_CIDRS', ''));
  read.check('TOOLPORT_HEALTH_ALLOW_CIDRS', invalid.length === 0, `has entries that are not CIDRs: ${invalid.join(', ')}`);
  const config: ProbeConfig = {
    allowCidrs: cidrs,
    timeoutMs: read.int('TOOLPORT_HEALTH_PROBE_TIMEOUT_MS', PROBE_CONFIG_DEFAULTS.timeoutMs, { min: 100, max: 600_000 }),
    maxResponseBytes: read.int('TOOLPORT_HEALTH_PROBE_MAX_BYTES', PROBE_CONFIG_DEFAULTS.maxResponseBytes, { min: 1024, max: 256 * 1024 * 1024 }),
    maxRedirects: read.int('TOOLPORT_HEALTH_PROBE_MAX_REDIRECTS', PROBE_CONFIG_DEFAULTS.maxRedirects, { min: 0, max: 20 }),
    maxToolPages: read.int('TOOLPORT_HEALTH_PROBE_MAX_TOOL_PAGES', PROBE_CONFIG_DEFAULTS.maxToolPages, { min: 1, max: 10_000 }),
  };
  if (!reader) read.done();
  return config;
}
