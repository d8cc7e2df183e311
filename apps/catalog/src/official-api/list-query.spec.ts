import { encodeCursor } from './cursor';
import { parseIncludeDeleted, parseListServersQuery } from './list-query';

const error = (query: Record<string, unknown>) => {
  try {
    parseListServersQuery(query);
  } catch (e) {
    return e as { kind: string; code: string; detail: string; errors: Array<{ location?: string }> };
  }
  throw new Error('expected the query to be refused');
};

describe('parseListServersQuery', () => {
  it('has the official defaults', () => {
    expect(parseListServersQuery({})).toEqual({ cursor: null, limit: 30, search: null, updatedSince: null, version: null, includeDeleted: false });
  });

  it('reads every parameter and ignores unknown ones', () => {
    const cursor = encodeCursor({ serverName: 'a/b', version: '1.0.0' });
    expect(parseListServersQuery({ cursor, limit: '50', search: 'Weather', version: 'latest', include_deleted: 'true', foo: 'bar' })).toEqual({
      cursor: { serverName: 'a/b', version: '1.0.0' },
      limit: 50,
      search: 'Weather',
      updatedSince: null,
      version: 'latest',
      includeDeleted: true,
    });
  });

  it('takes the first of a repeated parameter and treats an empty one as absent', () => {
    expect(parseListServersQuery({ limit: ['5', '7'], search: '' })).toMatchObject({ limit: 5, search: null });
  });

  it.each([
    ['abc', 'expected integer'],
    ['1.5', 'expected integer'],
    ['0', 'expected number >= 1'],
    ['1000', 'expected number <= 100'],
  ])('refuses limit=%s with 422 validation failed (%s)', (limit, message) => {
    const e = error({ limit });
    expect(e).toMatchObject({ kind: 'unprocessable', detail: 'validation failed', errors: [{ message, location: 'query.limit' }] });
  });

  it('accepts limit 1 and 100', () => {
    expect(parseListServersQuery({ limit: '1' }).limit).toBe(1);
    expect(parseListServersQuery({ limit: '100' }).limit).toBe(100);
  });

  it('forces include_deleted with updated_since, normalised to UTC', () => {
    expect(parseListServersQuery({ updated_since: '2025-08-07T15:15:04.280+02:00' })).toMatchObject({ updatedSince: '2025-08-07T13:15:04.280Z', includeDeleted: true });
    expect(parseListServersQuery({ updated_since: '2025-08-07T13:15:04Z', include_deleted: 'true' })).toMatchObject({ includeDeleted: true });
  });

  it('refuses include_deleted=false with updated_since (400)', () => {
    expect(error({ updated_since: '2025-08-07T13:15:04Z', include_deleted: 'false' })).toMatchObject({ kind: 'invalid', code: 'INCLUDE_DELETED_CONFLICT' });
  });

  it.each(['yesterday', '2025-08-07', '2025-08-07 13:15:04Z', '2025-08-07T13:15:04', '2025-02-30T00:00:00Z', '2025-08-07T25:00:00Z', '1754572504'])('refuses updated_since=%s (400)', (value) => {
    expect(error({ updated_since: value })).toMatchObject({ kind: 'invalid', code: 'INVALID_UPDATED_SINCE', errors: [{ location: 'query.updated_since' }] });
  });

  it('refuses a malformed cursor (400) and a non-boolean include_deleted (422)', () => {
    expect(error({ cursor: '!!!' })).toMatchObject({ kind: 'invalid', code: 'INVALID_CURSOR' });
    expect(error({ include_deleted: 'maybe' })).toMatchObject({ kind: 'unprocessable', errors: [{ location: 'query.include_deleted' }] });
  });
});

describe('parseIncludeDeleted', () => {
  it('defaults to false and reads Go-style booleans', () => {
    expect(parseIncludeDeleted({})).toBe(false);
    expect(parseIncludeDeleted({ include_deleted: '1' })).toBe(true);
    expect(parseIncludeDeleted({ include_deleted: 'False' })).toBe(false);
  });
});
