import { ToolportError } from '@toolport/contracts';
import { decodeCursor, encodeCursor } from './cursor';

describe('list cursor', () => {
  it('round-trips any name and version, URL-safe', () => {
    for (const key of [
      { serverName: 'io.github.acme/weather', version: '1.0.0+build.5' },
      { serverName: 'com.example/ünïcode', version: 'v2-beta:"quoted"' },
    ]) {
      const cursor = encodeCursor(key);
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor)).toEqual(key);
    }
  });

  it.each([
    ['not base64url', 'a b'],
    ['not JSON', Buffer.from('hello').toString('base64url')],
    ['not a pair', Buffer.from('["only"]').toString('base64url')],
    ['not strings', Buffer.from('[1,2]').toString('base64url')],
    ['empty parts', Buffer.from('["",""]').toString('base64url')],
    ['an upstream-style cursor', 'io.github.acme/weather:1.0.0'],
  ])('refuses %s with a 400 INVALID_CURSOR', (_what, cursor) => {
    let thrown: unknown;
    try {
      decodeCursor(cursor);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ToolportError);
    expect(thrown).toMatchObject({ kind: 'invalid', code: 'INVALID_CURSOR', detail: 'Invalid cursor parameter' });
  });
});
