import { open as openFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import { UnreadableArchiveError, UnsafeArchiveError } from './archive-errors';
import { EntryGuard, type EntryKind } from './entry-guard';
import { type CollectedFiles, FileCollector, type StripRule } from './file-collector';
import type { UnpackLimits } from './unpack-limits';

/** yauzl 3 exports its name decoder (Info-ZIP Unicode Path field, CP437 or UTF-8); the typings predate it. */
const getFileNameLowLevel = (yauzl as unknown as { getFileNameLowLevel(flags: number, raw: Buffer, extraFields: Array<{ id: number; data: Buffer }>, strict: boolean): string }).getFileNameLowLevel;

const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const LOCAL_HEADER_BYTES = 30;
const MAX_LINK_TARGET_BYTES = 4096;
const UNIX_HOST = 3;

interface ZipEntryInfo {
  entry: yauzl.Entry;
  name: string;
  kind: EntryKind;
  mode: number;
  dataStart: number;
  dataEnd: number;
}

/**
 * Unpacks a zip (mcpb bundle, wheel, zip sdist) from a file. Zip needs random access (the central
 * directory is at the end), so the download is written to a temp file while it is hashed, and read
 * with yauzl (maintained, no native code, bounded reads, checks declared sizes against inflated
 * ones). Everything yauzl trusts is checked first: entry count, declared sizes and ratio, local
 * headers against the central directory, and overlapping entries (the "better zip bomb"), so
 * nothing is inflated until the whole directory looks sane.
 */
export async function unpackZipFile(path: string, limits: UnpackLimits, strip: StripRule = 'none'): Promise<CollectedFiles> {
  const zip = await openZip(path);
  try {
    const guard = new EntryGuard(limits);
    const collector = new FileCollector(limits);
    if (zip.entryCount > limits.maxEntries) throw new UnsafeArchiveError('', `${zip.entryCount} entries, over the limit of ${limits.maxEntries}`);
    const infos = await readDirectory(zip, path, guard, limits);
    for (const info of infos) {
      const { entry, name } = info;
      if (info.kind === 'directory') continue;
      if (entry.isEncrypted()) throw new UnsafeArchiveError(name, 'encrypted entry (its content cannot be scanned)');
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) throw new UnreadableArchiveError(`unsupported compression method ${entry.compressionMethod}`, name);
      const stream = await openEntry(zip, entry, name);
      if (info.kind === 'symlink') {
        const target = (await readAll(stream, name, MAX_LINK_TARGET_BYTES)).toString('utf8');
        const normalized = normalizedPath(name);
        guard.checkLink(name, normalized, target);
        collector.addSymlink(name, normalized, info.mode, target);
        continue;
      }
      const sink = collector.openFile(name, normalizedPath(name), info.mode);
      let entryBytes = 0;
      try {
        for await (const chunk of stream) {
          const data = chunk as Buffer;
          entryBytes += data.byteLength;
          guard.addEntryBytes(name, entryBytes, data.byteLength);
          guard.checkRatio(guard.inflatedBytes, zip.fileSize, name);
          sink.push(data);
        }
      } catch (error) {
        stream.destroy();
        throw classify(error, name);
      }
      sink.end();
    }
    return collector.finish(strip);
  } finally {
    zip.close();
  }
}

/** Reads and checks every central-directory record before any data is inflated. */
async function readDirectory(zip: yauzl.ZipFile, path: string, guard: EntryGuard, limits: UnpackLimits): Promise<ZipEntryInfo[]> {
  const entries = await new Promise<yauzl.Entry[]>((resolve, reject) => {
    const all: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      all.push(entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve(all));
    zip.once('error', (error: unknown) => reject(classify(error, '')));
    zip.readEntry();
  });
  const infos: ZipEntryInfo[] = [];
  let declared = 0;
  const file = await openFile(path, 'r');
  try {
    for (const entry of entries) {
      const raw = entry.fileName as unknown as Buffer;
      const name = getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, true);
      const plain = getFileNameLowLevel(entry.generalPurposeBitFlag, raw, [], true);
      // Tools that ignore the Unicode Path extra field would see another file than tools that read it.
      if (name !== plain) throw new UnsafeArchiveError(name, `two names for one entry ('${plain}' in the header, '${name}' in the Unicode path field)`);
      const { kind, mode } = kindOf(entry, name);
      guard.admit({ name, kind, mode, size: entry.uncompressedSize, typeName: `unix file type ${(mode >> 12).toString(8)}` });
      declared += entry.uncompressedSize;
      const local = Buffer.alloc(LOCAL_HEADER_BYTES);
      const { bytesRead } = await file.read(local, 0, LOCAL_HEADER_BYTES, entry.relativeOffsetOfLocalHeader);
      if (bytesRead < LOCAL_HEADER_BYTES || local.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) throw new UnsafeArchiveError(name, 'central directory points at no local file header');
      const nameLength = local.readUInt16LE(26);
      const localName = Buffer.alloc(nameLength);
      await file.read(localName, 0, nameLength, entry.relativeOffsetOfLocalHeader + LOCAL_HEADER_BYTES);
      // Streaming extractors read local headers, yauzl and most tools the central directory: they must agree.
      if (!localName.equals(raw)) throw new UnsafeArchiveError(name, `local header names '${localName.toString('utf8')}' where the central directory names '${raw.toString('utf8')}'`);
      const dataStart = entry.relativeOffsetOfLocalHeader + LOCAL_HEADER_BYTES + nameLength + local.readUInt16LE(28);
      infos.push({ entry, name, kind, mode, dataStart, dataEnd: dataStart + entry.compressedSize });
    }
  } finally {
    await file.close();
  }
  if (declared > limits.maxInflatedBytes) throw new UnsafeArchiveError('', `entries declare ${declared} inflated bytes, over the ${limits.maxInflatedBytes}-byte limit`);
  guard.checkRatio(declared, zip.fileSize);
  const byOffset = [...infos].sort((a, b) => a.entry.relativeOffsetOfLocalHeader - b.entry.relativeOffsetOfLocalHeader);
  for (let i = 1; i < byOffset.length; i += 1) {
    const previous = byOffset[i - 1]!;
    const current = byOffset[i]!;
    if (current.entry.relativeOffsetOfLocalHeader < previous.dataEnd) throw new UnsafeArchiveError(current.name, `entry overlaps '${previous.name}' (overlapping entries are a zip-bomb technique)`);
  }
  return infos;
}

function kindOf(entry: yauzl.Entry, name: string): { kind: EntryKind; mode: number } {
  const unixMode = entry.versionMadeBy >> 8 === UNIX_HOST ? entry.externalFileAttributes >>> 16 : 0;
  const type = unixMode & 0o170000;
  const mode = unixMode & 0o7777;
  if (name.endsWith('/') || type === 0o040000) return { kind: 'directory', mode };
  if (type === 0o120000) return { kind: 'symlink', mode };
  if (type === 0o020000 || type === 0o060000) return { kind: 'device', mode };
  if (type === 0o010000) return { kind: 'fifo', mode };
  if (type === 0 || type === 0o100000) return { kind: 'file', mode };
  return { kind: 'other', mode: unixMode };
}

function normalizedPath(name: string): string {
  return name.split(/[\\/]/).filter((segment) => segment !== '' && segment !== '.').join('/');
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true, strictFileNames: true }, (error, zip) => {
      if (error || !zip) reject(classify(error, ''));
      else resolve(zip);
    });
  });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, name: string): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) reject(classify(error, name));
      else resolve(stream);
    });
  });
}

async function readAll(stream: Readable, name: string, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      size += (chunk as Buffer).byteLength;
      if (size > max) throw new UnsafeArchiveError(name, `symbolic link target longer than ${max} bytes`);
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    stream.destroy();
    throw classify(error, name);
  }
  return Buffer.concat(chunks);
}

function classify(error: unknown, name: string): Error {
  if (error instanceof UnsafeArchiveError || error instanceof UnreadableArchiveError) return error;
  // The file system's own failures (missing file, permissions) are not the archive's fault.
  if (typeof (error as { syscall?: unknown } | null)?.syscall === 'string') return error as Error;
  const message = error instanceof Error ? error.message : String(error);
  if (/size mismatch/.test(message)) return new UnsafeArchiveError(name, `compressed and inflated sizes disagree (${message})`);
  if (/too many bytes|not enough bytes/.test(message)) return new UnsafeArchiveError(name, `inflated size differs from the central directory (${message})`);
  if (/invalid|unexpected|signature|corrupt|multi-disk|not found|zip64|eocd|truncated|out of range|exceed/i.test(message)) return new UnreadableArchiveError(`not a valid zip archive (${message})`, name);
  return new UnreadableArchiveError(`zip archive could not be read (${message})`, name);
}
