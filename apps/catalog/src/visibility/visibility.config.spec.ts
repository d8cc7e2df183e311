import { ConfigError, EnvReader } from '@toolport/config';
import { parseVisibilityConfig } from './visibility.config';

const parse = (env: Record<string, string>) => {
  const read = new EnvReader(env);
  const options = parseVisibilityConfig(read);
  read.done();
  return options;
};

describe('parseVisibilityConfig', () => {
  it('defaults to approved', () => expect(parse({})).toEqual({ mode: 'approved' }));
  it('accepts all', () => expect(parse({ TOOLPORT_CATALOG_VISIBILITY: 'all' })).toEqual({ mode: 'all' }));
  it('refuses anything else, naming the variable', () => {
    expect(() => parse({ TOOLPORT_CATALOG_VISIBILITY: 'everyone' })).toThrow(ConfigError);
    expect(() => parse({ TOOLPORT_CATALOG_VISIBILITY: 'everyone' })).toThrow(/TOOLPORT_CATALOG_VISIBILITY .*approved, all/);
  });
});
