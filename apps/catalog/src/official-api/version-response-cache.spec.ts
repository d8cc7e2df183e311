import { type CachedAnswer, VersionResponseCache } from './version-response-cache';

const found = (body: string): CachedAnswer => ({ found: true, body });

describe('VersionResponseCache', () => {
  it('loads once, then answers from memory until the server changes', async () => {
    const cache = new VersionResponseCache(1024 * 1024);
    let loads = 0;
    const load = async () => found(`v${++loads}`);
    expect(await cache.answer('a/b', 'latest', load)).toEqual(found('v1'));
    expect(await cache.answer('a/b', 'latest', load)).toEqual(found('v1'));
    expect(cache.get('a/b', 'latest')).toEqual(found('v1'));
    cache.drop('a/b');
    expect(cache.get('a/b', 'latest')).toBeUndefined();
    expect(await cache.answer('a/b', 'latest', load)).toEqual(found('v2'));
  });

  it('treats an answer past its staleAfter as a miss and stores the fresh one in its place', async () => {
    let clock = 1_000;
    const cache = new VersionResponseCache(1024 * 1024, () => clock);
    const first: CachedAnswer = { found: true, body: 'at 1s', staleAfter: 61_000 };
    const second: CachedAnswer = { found: true, body: 'at 61s', staleAfter: 121_000 };
    await cache.answer('a/b', 'latest', async () => first);
    clock = 60_999;
    expect(cache.get('a/b', 'latest')).toEqual(first);
    clock = 61_000;
    expect(cache.get('a/b', 'latest')).toBeUndefined();
    expect(await cache.answer('a/b', 'latest', async () => second)).toEqual(second);
    expect(cache.get('a/b', 'latest')).toEqual(second);
  });

  it('keeps "not found" too, until the server changes (a publish makes it exist)', async () => {
    const cache = new VersionResponseCache(1024 * 1024);
    expect(await cache.answer('a/new', '1.0.0', async () => ({ found: false }))).toEqual({ found: false });
    expect(cache.get('a/new', '1.0.0')).toEqual({ found: false });
    cache.drop('a/new');
    expect(await cache.answer('a/new', '1.0.0', async () => found('now'))).toEqual(found('now'));
  });

  it('does not store a read that overlapped a change of its server (it may hold the state before it)', async () => {
    const cache = new VersionResponseCache(1024 * 1024);
    let release: () => void = () => undefined;
    const slow = cache.answer('a/b', 'latest', () => new Promise<CachedAnswer>((resolve) => (release = () => resolve(found('before')))));
    cache.drop('a/b');
    release();
    expect(await slow).toEqual(found('before'));
    expect(cache.get('a/b', 'latest')).toBeUndefined();
  });

  it('stores a read that overlapped only changes of other servers', async () => {
    const cache = new VersionResponseCache(1024 * 1024);
    let release: () => void = () => undefined;
    const slow = cache.answer('a/b', 'latest', () => new Promise<CachedAnswer>((resolve) => (release = () => resolve(found('fresh')))));
    for (let i = 0; i < 100; i++) cache.drop(`other/${i}`);
    release();
    await slow;
    expect(cache.get('a/b', 'latest')).toEqual(found('fresh'));
  });

  it('gives up storing when more changes overlapped the read than it remembers', async () => {
    const cache = new VersionResponseCache(1024 * 1024);
    let release: () => void = () => undefined;
    const slow = cache.answer('a/b', 'latest', () => new Promise<CachedAnswer>((resolve) => (release = () => resolve(found('maybe stale')))));
    for (let i = 0; i < 5000; i++) cache.drop(`other/${i}`);
    release();
    await slow;
    expect(cache.get('a/b', 'latest')).toBeUndefined();
  });

  it('stays within its memory, dropping the least recently used servers first', async () => {
    const body = 'x'.repeat(1000);
    const cache = new VersionResponseCache(3 * 1300);
    for (const name of ['s/1', 's/2', 's/3']) await cache.answer(name, 'latest', async () => found(body));
    expect(cache.size.servers).toBe(3);
    cache.get('s/1', 'latest');
    await cache.answer('s/4', 'latest', async () => found(body));
    expect(cache.size.servers).toBe(3);
    expect(cache.size.bytes).toBeLessThanOrEqual(3 * 1300);
    expect(cache.get('s/2', 'latest')).toBeUndefined();
    expect(cache.get('s/1', 'latest')).toEqual(found(body));
    expect(cache.get('s/4', 'latest')).toEqual(found(body));
  });

  it('is off with no memory: every answer is loaded', async () => {
    const cache = new VersionResponseCache(0);
    let loads = 0;
    await cache.answer('a/b', 'latest', async () => found(`v${++loads}`));
    await cache.answer('a/b', 'latest', async () => found(`v${++loads}`));
    expect(loads).toBe(2);
    expect(cache.enabled).toBe(false);
  });
});
