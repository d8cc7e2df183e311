import { ToolportError } from '@toolport/contracts';
import { DEFAULT_LIMIT, parseExportQuery, parsePositiveInteger, parseRecordsQuery } from './audit-query';

const locations = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ToolportError);
    expect((error as ToolportError).kind).toBe('invalid');
    return (error as ToolportError).errors.map((e) => e.location ?? '');
  }
  throw new Error('expected the query to be refused');
};

describe('parseRecordsQuery', () => {
  it('defaults to the first page of 100', () => {
    expect(parseRecordsQuery({})).toEqual({ filter: {}, after: 0, limit: DEFAULT_LIMIT });
  });

  it('reads every filter, the cursor and the limit', () => {
    expect(
      parseRecordsQuery({ actor: 'alice', server: 'io.x/y', type: 'VersionApproved', from: '2025-01-01', to: '2025-02-01T12:30:00+01:00', cursor: '200', limit: '50' }),
    ).toEqual({
      filter: { actor: 'alice', server: 'io.x/y', type: 'VersionApproved', from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-02-01T11:30:00Z') },
      after: 200,
      limit: 50,
    });
  });

  it('collects every problem of the query into one 400', () => {
    expect(
      locations(() => parseRecordsQuery({ limit: '0', cursor: '-1', from: 'yesterday', to: '2025-01-01T10:00:00', actor: ['a', 'b'], server: '', server_name: 'x' })),
    ).toEqual(['query.server_name', 'query.actor', 'query.server', 'query.from', 'query.to', 'query.cursor', 'query.limit']);
  });

  it('refuses a time range that ends before it starts, and limits above 1000', () => {
    expect(locations(() => parseRecordsQuery({ from: '2025-02-01', to: '2025-01-01' }))).toEqual(['query.from']);
    expect(locations(() => parseRecordsQuery({ from: '2025-02-01', to: '2025-02-01' }))).toEqual(['query.from']);
    expect(locations(() => parseRecordsQuery({ limit: '1001' }))).toEqual(['query.limit']);
  });
});

describe('parseExportQuery', () => {
  it('defaults to JSON Lines of everything and takes the records filters', () => {
    expect(parseExportQuery({})).toEqual({ filter: {}, after: 0, format: 'jsonl' });
    expect(parseExportQuery({ format: 'csv', type: 'TokenIssued', cursor: '10' })).toEqual({ filter: { type: 'TokenIssued' }, after: 10, format: 'csv' });
  });

  it('refuses other formats and a page limit', () => {
    expect(locations(() => parseExportQuery({ format: 'xml', limit: '5' }))).toEqual(['query.limit', 'query.format']);
  });
});

describe('parsePositiveInteger', () => {
  it('accepts 1 and above, nothing else', () => {
    expect(parsePositiveInteger('1', 'path.seq')).toBe(1);
    expect(parsePositiveInteger('9007199254740991', 'path.seq')).toBe(Number.MAX_SAFE_INTEGER);
    for (const bad of ['0', '-1', '1.5', 'x', '', '1e3', undefined, ['1'], '99999999999999999']) {
      expect(locations(() => parsePositiveInteger(bad, 'query.treeSize'))).toEqual(['query.treeSize']);
    }
  });
});
