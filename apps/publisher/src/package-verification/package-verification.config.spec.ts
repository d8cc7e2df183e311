import { ConfigError, EnvReader } from '@toolport/config';
import { parsePackageVerificationConfig, PACKAGE_VERIFICATION_USER_AGENT } from './package-verification.config';

function parse(env: Record<string, string>) {
  const read = new EnvReader(env);
  const options = parsePackageVerificationConfig(read);
  return { options, problems: read.problems, done: () => read.done() };
}

describe('parsePackageVerificationConfig', () => {
  it('defaults: npm, PyPI and mcpb on, OCI off, public registries, 10 s, 50 MiB files, 5 MiB documents', () => {
    expect(parse({}).options).toEqual({
      enabled: true,
      npm: { enabled: true, registryUrl: 'https://registry.npmjs.org' },
      pypi: { enabled: true, registryUrl: 'https://pypi.org' },
      mcpb: { enabled: true },
      oci: { enabled: false },
      allowedRegistryUrls: [],
      timeoutMs: 10_000,
      maxFileBytes: 50 * 1024 * 1024,
      maxDocumentBytes: 5 * 1024 * 1024,
      userAgent: PACKAGE_VERIFICATION_USER_AGENT,
      allowCidrs: [],
    });
  });

  it('reads every setting', () => {
    const { options, problems } = parse({
      TOOLPORT_VERIFY_NPM: 'false',
      TOOLPORT_VERIFY_PYPI: 'no',
      TOOLPORT_VERIFY_MCPB: '0',
      TOOLPORT_VERIFY_OCI: 'true',
      TOOLPORT_NPM_REGISTRY_URL: 'http://verdaccio.internal:4873/',
      TOOLPORT_PYPI_URL: 'https://devpi.internal/root/pypi/',
      TOOLPORT_ALLOWED_REGISTRY_URLS: ' https://artifactory.internal/api/npm/npm/ , http://127.0.0.1:5000,https://artifactory.internal/api/npm/npm',
      TOOLPORT_VERIFY_TIMEOUT_MS: '2500',
      TOOLPORT_VERIFY_MAX_BYTES: '1048576',
      TOOLPORT_VERIFY_MAX_JSON_BYTES: '65536',
      TOOLPORT_PUBLISHER_ALLOW_CIDRS: ' 10.20.0.0/16, 127.0.0.1 ,FD00::/8,',
    });
    expect(problems).toEqual([]);
    expect(options).toMatchObject({
      npm: { enabled: false, registryUrl: 'http://verdaccio.internal:4873' },
      pypi: { enabled: false, registryUrl: 'https://devpi.internal/root/pypi' },
      mcpb: { enabled: false },
      oci: { enabled: true },
      allowedRegistryUrls: ['https://artifactory.internal/api/npm/npm', 'http://127.0.0.1:5000'],
      timeoutMs: 2500,
      maxFileBytes: 1048576,
      maxDocumentBytes: 65536,
      allowCidrs: ['10.20.0.0/16', '127.0.0.1/32', 'fd00::/8'],
    });
  });

  it('TOOLPORT_VERIFY_PACKAGES=false turns every ecosystem off, OCI included', () => {
    const { options } = parse({ TOOLPORT_VERIFY_PACKAGES: 'false', TOOLPORT_VERIFY_OCI: 'true' });
    expect([options.enabled, options.npm.enabled, options.pypi.enabled, options.mcpb.enabled, options.oci.enabled]).toEqual([false, false, false, false, false]);
  });

  it('collects every problem, with credentials redacted, for the caller to report', () => {
    const { problems, done } = parse({
      TOOLPORT_VERIFY_PACKAGES: 'maybe',
      TOOLPORT_NPM_REGISTRY_URL: 'ftp://registry',
      TOOLPORT_PYPI_URL: 'https://user:secret@pypi.internal',
      TOOLPORT_ALLOWED_REGISTRY_URLS: 'https://ok.example,not a url,https://x.example/?q=1',
      TOOLPORT_VERIFY_TIMEOUT_MS: '10',
      TOOLPORT_VERIFY_MAX_BYTES: 'lots',
      TOOLPORT_PUBLISHER_ALLOW_CIDRS: '10.0.0.0/8, intranet, 10.0.0.0/33',
    });
    expect(problems).toEqual([
      'TOOLPORT_VERIFY_PACKAGES=maybe must be true or false',
      'TOOLPORT_NPM_REGISTRY_URL=ftp://registry/ must be an http or https URL without credentials, query or fragment',
      'TOOLPORT_PYPI_URL=https://user:***@pypi.internal/ must be an http or https URL without credentials, query or fragment',
      "TOOLPORT_ALLOWED_REGISTRY_URLS entry 'not a url' must be an http or https URL without credentials, query or fragment",
      "TOOLPORT_ALLOWED_REGISTRY_URLS entry 'https://x.example/?q=1' must be an http or https URL without credentials, query or fragment",
      'TOOLPORT_PUBLISHER_ALLOW_CIDRS has entries that are not CIDRs: intranet, 10.0.0.0/33',
      'TOOLPORT_VERIFY_TIMEOUT_MS=10 must be an integer between 100 and 300000',
      'TOOLPORT_VERIFY_MAX_BYTES=lots must be an integer between 1024 and 2147483648',
    ]);
    expect(done).toThrow(ConfigError);
  });
});
