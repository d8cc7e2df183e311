import type { ServerResponse } from 'node:http';
import type { CatalogChangeRecord } from '../read-model/catalog-change';
import type { CatalogChangeListener } from '../read-model/catalog-changes';

/** What the feed needs of CatalogChanges (read-model/catalog-changes.ts). */
export interface ChangeSource {
  subscribe(listener: CatalogChangeListener): () => void;
  since(afterId: number, limit?: number): Promise<CatalogChangeRecord[]>;
  latestId(): number;
}

export interface ChangeFeedOptions {
  /** A comment line this often keeps proxies from closing an idle stream (default 15 s). */
  heartbeatMs?: number;
  /** Stored changes read per query while catching up (default 500). */
  pageSize?: number;
  /**
   * A client reading slower than changes arrive makes Node buffer them in memory; past this many
   * bytes the stream is ended instead and the client resumes with Last-Event-ID (default 1 MiB).
   */
  maxBufferedBytes?: number;
  onError?: (error: unknown) => void;
}

/** One change as an SSE event; `id` is what the client sends back as Last-Event-ID. */
export function sseEvent(change: CatalogChangeRecord): string {
  const data = { id: change.id, kind: change.kind, serverName: change.serverName, version: change.version, at: change.at };
  return `id: ${change.id}\nevent: ${change.kind}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Catalog changes as Server-Sent Events, each exactly once and in id order, resuming after a
 * given id. It subscribes BEFORE reading the stored changes and buffers what arrives meanwhile:
 * a change committed during the catch-up is then either in the stored pages, in the buffer or
 * both, and ids at or below the last one sent are skipped, so nothing is lost or sent twice.
 */
export class ChangeFeed {
  private readonly streams = new Set<() => void>();

  constructor(
    private readonly source: ChangeSource,
    private readonly options: ChangeFeedOptions = {},
  ) {}

  /** Streams to `response` until the client goes away or closeAll(); `afterId` null: only changes from now on. */
  async serve(response: ServerResponse, afterId: number | null, headers: Record<string, string | number | string[] | undefined> = {}): Promise<void> {
    const pageSize = this.options.pageSize ?? 500;
    const maxBuffered = this.options.maxBufferedBytes ?? 1024 * 1024;
    let lastSent = afterId ?? this.source.latestId();
    let buffered: CatalogChangeRecord[] | null = [];
    let closed = false;

    const close = () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      clearInterval(heartbeat);
      this.streams.delete(close);
      response.end();
    };
    const send = (change: CatalogChangeRecord) => {
      if (closed || change.id <= lastSent) return;
      lastSent = change.id;
      response.write(sseEvent(change));
      if (response.writableLength > maxBuffered) close();
    };
    const unsubscribe = this.source.subscribe((change) => (buffered ? buffered.push(change) : send(change)));
    const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), this.options.heartbeatMs ?? 15_000);
    heartbeat.unref();
    this.streams.add(close);
    response.on('close', close);

    response.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx would otherwise hold events back in its buffer.
      'x-accel-buffering': 'no',
    });
    // Sends the headers now, so a client knows it is subscribed before the first change.
    response.write(': subscribed\n\n');

    try {
      if (afterId !== null) {
        for (;;) {
          const page = await this.source.since(lastSent, pageSize);
          for (const change of page) send(change);
          if (closed || page.length < pageSize) break;
        }
      }
      // Synchronously from here: no change can slip between draining the buffer and going live.
      const pending = buffered;
      buffered = null;
      for (const change of pending) send(change);
    } catch (error) {
      this.options.onError?.(error);
      close();
    }
  }

  /** Open streams, so shutdown can end them (an open stream would keep the HTTP server from closing). */
  get openStreams(): number {
    return this.streams.size;
  }

  closeAll(): void {
    for (const close of [...this.streams]) close();
  }
}
