import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { CatalogChangeRecord } from '../read-model/catalog-change';
import type { CatalogChangeListener } from '../read-model/catalog-changes';
import { ChangeFeed, type ChangeSource, sseEvent } from './change-feed';
import { resumePoint } from './resume-point';

const change = (id: number, approvedOnce = true): CatalogChangeRecord => ({ id, kind: 'published', serverName: 'io.example/a', version: `1.0.${id}`, at: '2025-01-01T00:00:00.000Z', approvedOnce });

/** CatalogChanges with stored rows and manual emission; `afterRead(n)` runs after the n-th query read its rows. */
class FakeSource implements ChangeSource {
  readonly listeners = new Set<CatalogChangeListener>();
  stored: CatalogChangeRecord[] = [];
  afterRead: (call: number) => void = () => undefined;
  private calls = 0;
  subscribe(listener: CatalogChangeListener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async since(afterId: number, limit = 1000) {
    const rows = this.stored.filter((c) => c.id > afterId).slice(0, limit);
    await Promise.resolve();
    this.afterRead(++this.calls);
    return rows;
  }
  latestId() {
    return this.stored.at(-1)?.id ?? 0;
  }
  emit(c: CatalogChangeRecord) {
    this.stored.push(c);
    for (const listener of this.listeners) listener(c);
  }
}

class FakeResponse extends EventEmitter {
  chunks: string[] = [];
  ended = false;
  status = 0;
  writableLength = 0;
  writeHead(status: number) {
    this.status = status;
    return this;
  }
  write(chunk: string) {
    this.chunks.push(chunk);
    return true;
  }
  end() {
    this.ended = true;
  }
  ids(): number[] {
    return this.chunks.filter((c) => c.startsWith('id: ')).map((c) => Number(/^id: (\d+)/.exec(c)![1]));
  }
}

const serve = (feed: ChangeFeed, response: FakeResponse, afterId: number | null, visibleTo?: (change: CatalogChangeRecord) => boolean) =>
  feed.serve(response as unknown as ServerResponse, afterId, {}, visibleTo);

describe('ChangeFeed', () => {
  it('formats a change as an SSE event with id, event kind and JSON data', () => {
    expect(sseEvent(change(7))).toBe(
      'id: 7\nevent: published\ndata: {"id":7,"kind":"published","serverName":"io.example/a","version":"1.0.7","at":"2025-01-01T00:00:00.000Z"}\n\n',
    );
  });

  it('replays stored changes after the resume point in pages, then live ones, with no gap and none twice', async () => {
    const source = new FakeSource();
    for (let id = 1; id <= 5; id++) source.stored.push(change(id));
    // 6 commits during the first page's query: a later page reads it AND it arrives live (sent once).
    // 7 commits during the last page's query: it arrives only live, while replaying (not lost).
    source.afterRead = (call) => (call === 1 ? source.emit(change(6)) : call === 3 ? source.emit(change(7)) : undefined);
    const response = new FakeResponse();
    await serve(new ChangeFeed(source, { pageSize: 2 }), response, 1);
    source.emit(change(8));
    expect(response.status).toBe(200);
    expect(response.ids()).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it("applies the caller's own filter to stored and live changes, without the approval flag in the event", async () => {
    const source = new FakeSource();
    source.stored.push(change(1, false), change(2, true), change(3, false));
    const agent = new FakeResponse();
    const reviewer = new FakeResponse();
    const feed = new ChangeFeed(source);
    await serve(feed, agent, 0, (c) => c.approvedOnce);
    await serve(feed, reviewer, 0);
    source.emit(change(4, false));
    source.emit(change(5, true));
    expect(agent.ids()).toEqual([2, 5]);
    expect(reviewer.ids()).toEqual([1, 2, 3, 4, 5]);
    expect(agent.chunks.join('')).not.toContain('approvedOnce');
  });

  it('without a resume point sends only changes from now on', async () => {
    const source = new FakeSource();
    source.stored.push(change(1), change(2));
    const response = new FakeResponse();
    await serve(new ChangeFeed(source), response, null);
    source.emit(change(3));
    expect(response.ids()).toEqual([3]);
  });

  it('unsubscribes when the client goes away and ends every stream on closeAll', async () => {
    const source = new FakeSource();
    const feed = new ChangeFeed(source);
    const first = new FakeResponse();
    const second = new FakeResponse();
    await serve(feed, first, null);
    await serve(feed, second, null);
    expect(source.listeners.size).toBe(2);
    first.emit('close');
    expect(source.listeners.size).toBe(1);
    expect(feed.openStreams).toBe(1);
    feed.closeAll();
    expect(second.ended).toBe(true);
    expect(source.listeners.size).toBe(0);
  });

  it('ends the stream of a client that reads slower than changes arrive', async () => {
    const source = new FakeSource();
    const response = new FakeResponse();
    await serve(new ChangeFeed(source, { maxBufferedBytes: 100 }), response, null);
    response.writableLength = 101;
    source.emit(change(1));
    expect(response.ended).toBe(true);
    expect(source.listeners.size).toBe(0);
  });
});

describe('resumePoint', () => {
  it('prefers Last-Event-ID, falls back to ?after=, and means "from now" without either', () => {
    expect(resumePoint('12', '3')).toBe(12);
    expect(resumePoint(undefined, '3')).toBe(3);
    expect(resumePoint(undefined, '0')).toBe(0);
    expect(resumePoint(undefined, undefined)).toBeNull();
    expect(resumePoint('', '')).toBeNull();
  });

  it('refuses anything but a non-negative integer', () => {
    for (const bad of ['-1', 'abc', '1.5', '9'.repeat(16)]) expect(() => resumePoint(bad, undefined)).toThrow(/change id/);
    expect(() => resumePoint(undefined, 'x')).toThrow(/query\.after/);
  });
});
