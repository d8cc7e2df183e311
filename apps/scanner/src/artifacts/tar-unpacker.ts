import { once } from 'node:events';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract as tarExtract, type Header } from 'tar-stream';
import { UnreadableArchiveError, UnsafeArchiveError } from './archive-errors';
import { EntryGuard, type EntryHeader, type EntryKind } from './entry-guard';
import { type CollectedFiles, FileCollector, type StripRule } from './file-collector';
import type { UnpackLimits } from './unpack-limits';

const KINDS: Readonly<Record<string, EntryKind>> = {
  file: 'file',
  'contiguous-file': 'file', // typeflag 7: a regular file to every extractor in use
  directory: 'directory',
  symlink: 'symlink',
  link: 'hardlink',
  'character-device': 'device',
  'block-device': 'device',
  fifo: 'fifo',
};

/**
 * Streaming gzip+tar unpacker (npm tarballs, sdists): compressed bytes go in with `write` as they
 * arrive, are inflated, metered and parsed by tar-stream (a maintained, dependency-light streaming
 * parser that never touches the disk) and only text under the caps is kept. `write` waits while the
 * parser is behind (backpressure up to the download), and rejects at the first unsafe entry or
 * limit, after which the caller stops the download.
 */
export class TarGzUnpacker {
  private readonly input = new PassThrough();
  private readonly guard: EntryGuard;
  private readonly collector: FileCollector;
  private readonly done: Promise<void>;
  private compressed = 0;
  private streamBytes = 0;
  private failure: Error | null = null;

  constructor(
    limits: UnpackLimits,
    private readonly strip: StripRule,
  ) {
    this.guard = new EntryGuard(limits);
    this.collector = new FileCollector(limits);
    const meter = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.streamBytes += chunk.byteLength;
        try {
          // Counts the tar stream itself: a bomb of zeros holds no entry at all.
          this.guard.addInflated(chunk.byteLength);
          this.guard.checkRatio(this.streamBytes, this.compressed);
        } catch (error) {
          return callback(error as Error);
        }
        callback(null, chunk);
      },
    });
    const extract = tarExtract();
    extract.on('entry', (header, stream, next) => {
      // A refused entry's stream is destroyed with the refusal; the error is reported once, by `done`.
      stream.on('error', () => undefined);
      this.onEntry(header, stream as unknown as Readable).then(
        () => next(),
        (error: unknown) => next(error as Error),
      );
    });
    this.done = pipeline(this.input, createGunzip(), meter, extract).catch((error: unknown) => {
      this.failure = classify(error);
      throw this.failure;
    });
    this.done.catch(() => undefined); // observed through write/end
  }

  /** Feeds compressed bytes; resolves when the unpacker can take more. */
  async write(chunk: Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    this.compressed += chunk.byteLength;
    if (!this.input.write(chunk)) await Promise.race([once(this.input, 'drain'), this.done]);
    if (this.failure) throw this.failure;
  }

  /** Signals the end of the archive and waits for every entry. */
  async end(): Promise<CollectedFiles> {
    if (this.failure) throw this.failure;
    this.input.end();
    await this.done;
    return this.collector.finish(this.strip);
  }

  /** Stops unpacking (the download failed or is abandoned). */
  abort(): void {
    this.input.destroy();
  }

  private async onEntry(header: Header, stream: Readable): Promise<void> {
    const name = header.name;
    const entry: EntryHeader = {
      name,
      // tar-stream reports typeflags it does not know (GNU sparse 'S', volume labels 'V'...) as null:
      // other tools would read those entries differently, so they are refused, not taken as files.
      kind: header.type ? (KINDS[header.type] ?? 'other') : 'other',
      mode: header.mode ?? 0,
      size: header.size ?? 0,
      typeName: header.type ?? 'unknown typeflag',
      ...(header.type === 'symlink' || header.type === 'link' ? { linkTarget: header.linkname ?? '' } : {}),
    };
    const path = this.guard.admit(entry);
    if (entry.kind === 'directory' || path === '') return drain(stream);
    if (entry.kind === 'symlink') {
      this.collector.addSymlink(name, path, entry.mode, entry.linkTarget ?? '');
      return drain(stream);
    }
    const sink = this.collector.openFile(name, path, entry.mode);
    let entryBytes = 0;
    for await (const chunk of stream) {
      const data = chunk as Buffer;
      entryBytes += data.byteLength;
      this.guard.addEntryBytes(name, entryBytes, 0);
      sink.push(data);
    }
    sink.end();
  }
}

async function drain(stream: Readable): Promise<void> {
  for await (const _chunk of stream) {
    // a directory or link has no data worth keeping
  }
}

function classify(error: unknown): Error {
  if (error instanceof UnsafeArchiveError || error instanceof UnreadableArchiveError) return error;
  const code = (error as { code?: string } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code?.startsWith('Z_')) return new UnreadableArchiveError(`not a valid gzip stream (${message})`);
  if (code === 'ERR_STREAM_PREMATURE_CLOSE') return new UnreadableArchiveError('archive stream closed early');
  return new UnreadableArchiveError(`not a valid tar archive (${message})`);
}
