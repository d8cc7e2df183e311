import { ConfigError, EnvReader } from '@toolport/config';
import { PROBE_CONFIG_DEFAULTS, readProbeConfig } from './probe-config';

describe('readProbeConfig', () => {
  it('has documented defaults', () => {
    expect(readProbeConfig({})).toEqual({ allowCidrs: [], timeoutMs: 10_000, maxResponseBytes: 4_194_304, maxRedirects: 5, maxToolPages: 100 });
    expect(readProbeConfig({})).toEqual(PROBE_CONFIG_DEFAULTS);
  });

  it('reads every setting, canonicalising the allow-list', () => {
    expect(
      readProbeConfig({
        TOOLPORT_HEALTH_ALLOW_CIDRS: ' 127.0.0.0/8, ::1 ,10.20.0.0/16,,FD00::/8',
        TOOLPORT_HEALTH_PROBE_TIMEOUT_MS: '2500',
        TOOLPORT_HEALTH_PROBE_MAX_BYTES: '65536',
        TOOLPORT_HEALTH_PROBE_MAX_REDIRECTS: '0',
        TOOLPORT_HEALTH_PROBE_MAX_TOOL_PAGES: '7',
      }),
    ).toEqual({ allowCidrs: ['127.0.0.0/8', '::1/128', '10.20.0.0/16', 'fd00::/8'], timeoutMs: 2500, maxResponseBytes: 65536, maxRedirects: 0, maxToolPages: 7 });
  });

  it('collects every problem', () => {
    let error: unknown;
    try {
      readProbeConfig({ TOOLPORT_HEALTH_ALLOW_CIDRS: '10.0.0.0/8,intranet,10.0.0.0/99', TOOLPORT_HEALTH_PROBE_TIMEOUT_MS: 'soon' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'TOOLPORT_HEALTH_ALLOW_CIDRS has entries that are not CIDRs: intranet, 10.0.0.0/99',
      'TOOLPORT_HEALTH_PROBE_TIMEOUT_MS=soon must be an integer between 100 and 600000',
    ]);
  });

  it('leaves failing to a reader the caller passes', () => {
    const reader = new EnvReader({ TOOLPORT_HEALTH_ALLOW_CIDRS: 'nope' });
    expect(readProbeConfig({}, reader).allowCidrs).toEqual([]);
    expect(reader.problems).toHaveLength(1);
  });
});
