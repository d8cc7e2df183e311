import { ConfigError, EnvReader } from '@toolport/config';
import { parseAuditLogConfig } from './audit-log.config';

const parse = (env: Record<string, string>) => {
  const read = new EnvReader(env);
  const options = parseAuditLogConfig(read);
  read.done();
  return options;
};

describe('parseAuditLogConfig', () => {
  it('defaults to a generated key, a head every 100 records or 60 seconds', () => {
    expect(parse({})).toEqual({ signingKeySeedHex: null, treeHeads: { everyRecords: 100, intervalSeconds: 60 } });
  });

  it('reads the seed and the head policy', () => {
    expect(parse({ TOOLPORT_AUDIT_SIGNING_KEY: 'AB'.repeat(32), TOOLPORT_AUDIT_STH_EVERY_RECORDS: '1000', TOOLPORT_AUDIT_STH_INTERVAL_SECONDS: '5' })).toEqual({
      signingKeySeedHex: 'ab'.repeat(32),
      treeHeads: { everyRecords: 1000, intervalSeconds: 5 },
    });
  });

  it('names every bad setting at once', () => {
    expect(() => parse({ TOOLPORT_AUDIT_SIGNING_KEY: 'abc', TOOLPORT_AUDIT_STH_EVERY_RECORDS: '0', TOOLPORT_AUDIT_STH_INTERVAL_SECONDS: 'soon' })).toThrow(ConfigError);
    try {
      parse({ TOOLPORT_AUDIT_SIGNING_KEY: 'abc', TOOLPORT_AUDIT_STH_EVERY_RECORDS: '0', TOOLPORT_AUDIT_STH_INTERVAL_SECONDS: 'soon' });
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'TOOLPORT_AUDIT_SIGNING_KEY must be a 32-byte Ed25519 seed in hex (64 characters)',
        'TOOLPORT_AUDIT_STH_EVERY_RECORDS=0 must be an integer between 1 and 1000000',
        'TOOLPORT_AUDIT_STH_INTERVAL_SECONDS=soon must be an integer between 1 and 86400',
      ]);
    }
  });
});
