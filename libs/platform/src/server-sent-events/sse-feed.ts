import type { ServerResponse } from 'node:http';
import type { LogListener, LogRecord } from './committed-log';

/** What the feed needs of its source (a CommittedLog). */
export interface FeedSource<T extends LogRecord> {
  subscribe(listener: LogListener<T>): () => void;
  since(afterId: number, limit?: number): Promise<T[]>;
  latestId(): number;
}

export interface SseFeedOptions<T extends LogRecord> {
  /** One record as an SSE event; its `id:` must be the record's id (what a client sends back as Last-Event-ID). */
  format: (record: T) => string;
  /** Records the caller may not see are skipped (their ids still advance the stream). */
  filter?: (record: T) => boolean;
  /** A comment line this often keeps proxies from closing an idle stream (default 15 s). */
  heartbeatMs?: number;
  /** Stored records read per query while catching up (default 500). */
  pageSize?: number;
  /**
   * A client reading slower than records arrive makes Node buffer them in memory; past this many
   * bytes the stream is ended instead and the client resumes with Last-Event-ID (default 1 MiB).
   */
  maxBufferedBytes?: number;
  onError?: (error: unknown) => void;
}

/** `id`, `event` and a JSON `data` line: the usual shape of one record. */
export function sseMessage(id: number, event: string, data: unknown): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Records as Server-Sent Events, each exactly once and in id order, resuming after a given id.
 * It subscribes BEFORE reading the stored records and buffers what arrives meanwhile: a record
 * committed during the catch-up is then in the stored pages, in the buffer or both, and ids at or
 * below the last one sent are skipped, so nothing is lost or sent twice.
 */
export class SseFeed<T extends LogRecord> {
  private readonly streams = new Set<() => void>();

  constructor(
    private readonly source: FeedSource<T>,
    private readonly options: SseFeedOptions<T>,
  ) {}

  /**
   * Streams to `response` until the client goes away or closeAll(); `afterId` null: only records
   * from now on. `visibleTo`: this caller's own filter, on top of the feed's (skipped records
   * still advance the stream, so a resume never replays them).
   */
  async serve(
    response: ServerResponse,
    afterId: number | null,
    headers: Record<string, string | number | string[] | undefined> = {},
    visibleTo?: (record: T) => boolean,
  ): Promise<void> {
    const pageSize = this.options.pageSize ?? 500;
    const maxBuffered = this.options.maxBufferedBytes ?? 1024 * 1024;
    let lastSent = afterId ?? this.source.latestId();
    let buffered: T[] | null = [];
    let closed = false;

    const close = () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      clearInterval(heartbeat);
      this.streams.delete(close);
      response.end();
    };
    const send = (record: T) => {
      if (closed || record.id <= lastSent) return;
      lastSent = record.id;
      if ((this.options.filter && !this.options.filter(record)) || (visibleTo && !visibleTo(record))) return;
      response.write(this.options.format(record));
      if (response.writableLength > maxBuffered) close();
    };
    const unsubscribe = this.source.subscribe((record) => (buffered ? buffered.push(record) : send(record)));
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
    // Sends the headers now, so a client knows it is subscribed before the first record.
    response.write(': subscribed\n\n');

    try {
      if (afterId !== null) {
        for (;;) {
          const page = await this.source.since(lastSent, pageSize);
          for (const record of page) send(record);
          if (closed || page.length < pageSize) break;
        }
      }
      // Synchronously from here: no record can slip between draining the buffer and going live.
      const pending = buffered;
      buffered = null;
      for (const record of pending) send(record);
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
