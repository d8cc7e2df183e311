import { ToolportError } from '@toolport/contracts';
import { parseSearchQuery } from './search-query';

describe('parseSearchQuery facets', () => {
  it('counts no facets unless asked', () => {
    expect(parseSearchQuery({ q: 'git' }).facets).toEqual([]);
    expect(parseSearchQuery({ q: 'git', facets: '' }).facets).toEqual([]);
  });

  it('takes a list, or all of them', () => {
    expect(parseSearchQuery({ facets: 'trustLevel, health' }).facets).toEqual(['trustLevel', 'health']);
    expect(parseSearchQuery({ facets: 'all' }).facets).toEqual(['registryType', 'transport', 'trustLevel', 'health', 'namespace', 'approved']);
    expect(parseSearchQuery({ facets: ['health', 'all'] }).facets).toHaveLength(6);
  });

  it('refuses an unknown facet, naming it', () => {
    let error: unknown;
    try {
      parseSearchQuery({ facets: 'health,colour' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ToolportError);
    expect((error as ToolportError).errors).toEqual([expect.objectContaining({ location: 'query.facets', value: 'colour' })]);
  });
});
