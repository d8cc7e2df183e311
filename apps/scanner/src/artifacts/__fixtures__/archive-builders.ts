import { crc32 as zlibCrc32, deflateRawSync, gzipSync } from 'node:zlib';

/**
 * Hand-made archives for the unpacking tests: every header field is written here, so the tests
 * can produce what no well-behaved tool would (absolute names, devices, lying directories).
 */

export interface TarEntrySpec {
  name: string;
  /** ustar typeflag: '0' file, '1' hard link, '2' symlink, '3' char device, '4' block device, '5' directory, '6' FIFO. */
  type?: string;
  mode?: number;
  data?: Buffer | string;
  linkname?: string;
  /** Size written in the header when it must differ from the data (truncated archives). */
  size?: number;
}

function writeOctal(header: Buffer, offset: number, length: number, value: number): void {
  header.write(value.toString(8).padStart(length - 1, '0') + '\0', offset, length, 'ascii');
}

export function tarEntry(spec: TarEntrySpec): Buffer {
  const data = typeof spec.data === 'string' ? Buffer.from(spec.data) : (spec.data ?? Buffer.alloc(0));
  const header = Buffer.alloc(512);
  header.write(spec.name, 0, 100, 'utf8');
  writeOctal(header, 100, 8, spec.mode ?? 0o644);
  writeOctal(header, 108, 8, 1000);
  writeOctal(header, 116, 8, 1000);
  writeOctal(header, 124, 12, spec.size ?? data.byteLength);
  writeOctal(header, 136, 12, 1_700_000_000);
  header.write('        ', 148, 8, 'ascii');
  header.write(spec.type ?? '0', 156, 1, 'ascii');
  header.write(spec.linkname ?? '', 157, 100, 'utf8');
  header.write('ustar\0', 257, 6, 'ascii');
  header.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  const padding = Buffer.alloc((512 - (data.byteLength % 512)) % 512);
  return Buffer.concat([header, data, padding]);
}

export function tar(entries: TarEntrySpec[]): Buffer {
  return Buffer.concat([...entries.map(tarEntry), Buffer.alloc(1024)]);
}

export function tgz(entries: TarEntrySpec[]): Buffer {
  return gzipSync(tar(entries));
}

export function crc32(data: Buffer): number {
  return zlibCrc32(data) >>> 0;
}

export interface ZipEntrySpec {
  name: string;
  data?: Buffer | string;
  /** Unix mode including the file type bits (0o100644 file, 0o120777 symlink, 0o040755 folder). */
  mode?: number;
  deflate?: boolean;
  /** Name written in the local header when it must differ from the central directory's. */
  localName?: string;
  /** Uncompressed size the central directory claims, when it must lie. */
  declaredSize?: number;
  /** General-purpose flags (bit 0: encrypted). */
  flags?: number;
  /** Central-directory offset of the local header, when it must point elsewhere. */
  offsetOverride?: number;
}

export interface BuiltZip {
  zip: Buffer;
  /** Offset of each entry's local header, in order. */
  offsets: number[];
}

/** A zip with one local header per entry, the central directory and the end record. */
export function zipArchive(entries: ZipEntrySpec[]): Buffer {
  return buildZip(entries).zip;
}

export function buildZip(entries: ZipEntrySpec[]): BuiltZip {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data) : (entry.data ?? Buffer.alloc(0));
    const stored = entry.deflate ? deflateRawSync(data) : data;
    const method = entry.deflate ? 8 : 0;
    const crc = crc32(data);
    const flags = (entry.flags ?? 0) | 0x800;
    const localName = Buffer.from(entry.localName ?? entry.name, 'utf8');
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 10);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.byteLength, 18);
    local.writeUInt32LE(data.byteLength, 22);
    local.writeUInt16LE(localName.byteLength, 26);
    local.writeUInt16LE(0, 28);
    offsets.push(offset);
    locals.push(local, localName, stored);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.byteLength, 20);
    central.writeUInt32LE(entry.declaredSize ?? data.byteLength, 24);
    central.writeUInt16LE(name.byteLength, 28);
    central.writeUInt16LE(0, 30);
    central.writeUInt16LE(0, 32);
    central.writeUInt16LE(0, 34);
    central.writeUInt16LE(0, 36);
    central.writeUInt32LE(((entry.mode ?? (entry.name.endsWith('/') ? 0o040755 : 0o100644)) << 16) >>> 0, 38);
    central.writeUInt32LE(entry.offsetOverride ?? offset, 42);
    centrals.push(Buffer.concat([central, name]));
    offset += 30 + localName.byteLength + stored.byteLength;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.byteLength, 12);
  end.writeUInt32LE(offset, 16);
  return { zip: Buffer.concat([...locals, directory, end]), offsets };
}

/** The bytes of one local header + data, for smuggling an entry inside another's data. */
export function localRecord(name: string, data: Buffer | string): Buffer {
  const { zip, offsets } = buildZip([{ name, data }]);
  void offsets;
  const nameBytes = Buffer.byteLength(name);
  const dataBytes = typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
  return zip.subarray(0, 30 + nameBytes + dataBytes);
}
