import { UnsafeArchiveError } from './archive-errors';
import type { UnpackLimits } from './unpack-limits';

export type EntryKind = 'file' | 'directory' | 'symlink' | 'hardlink' | 'device' | 'fifo' | 'other';

/** One archive entry as tar or zip headers describe it, before any of its data is read. */
export interface EntryHeader {
  /** The name exactly as the archive spells it. */
  name: string;
  kind: EntryKind;
  /** Unix mode bits (permissions plus setuid/setgid/sticky); 0 when the format records none. */
  mode: number;
  /** Declared inflated size. */
  size: number;
  /** Symlink target, when known from the header (tar); zip keeps it in the entry's data. */
  linkTarget?: string;
  /** The format's own type name, for messages about unsupported entries. */
  typeName?: string;
}

const SETID_BITS = 0o6000;

/**
 * Turns an archive name into a package path (`/` separators, no `.` or empty segments), or
 * throws for names an extractor could resolve outside its folder. Backslashes count as
 * separators: Windows extractors and many zip tools treat them so, whatever the spec says.
 * Returns '' for the archive root (`./`).
 */
export function normalizeEntryName(raw: string): string {
  if (raw.includes('\0')) throw new UnsafeArchiveError(raw, 'NUL character in the name');
  if (/^[\\/]/.test(raw)) throw new UnsafeArchiveError(raw, 'absolute path');
  if (/^[a-zA-Z]:/.test(raw)) throw new UnsafeArchiveError(raw, 'Windows drive letter');
  const segments = raw.split(/[\\/]/).filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) throw new UnsafeArchiveError(raw, "parent directory segment '..'");
  return segments.join('/');
}

/** Whether a link at `entryPath` pointing to `target` resolves outside the package root. */
export function linkEscapes(entryPath: string, target: string): boolean {
  if (target === '' || /^[\\/]/.test(target) || /^[a-zA-Z]:/.test(target) || target.includes('\0')) return true;
  const resolved = entryPath.split('/').slice(0, -1);
  for (const segment of target.split(/[\\/]/)) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (resolved.length === 0) return true;
      resolved.pop();
    } else resolved.push(segment);
  }
  return false;
}

/**
 * Decides, entry by entry, whether an archive is safe, and keeps the counters the limits need.
 * It only sees headers and byte counts: the unpackers call it before reading an entry's data and
 * as data flows, so a hostile archive is refused at the first bad entry or byte over a limit.
 */
export class EntryGuard {
  private entries = 0;
  private inflated = 0;
  /** Exact path → what it is, ancestors included (a file may not also be a folder). */
  private readonly kinds = new Map<string, 'file' | 'directory'>();
  /** Case- and Unicode-folded path → the exact path first seen. */
  private readonly folded = new Map<string, string>();

  constructor(private readonly limits: UnpackLimits) {}

  get inflatedBytes(): number {
    return this.inflated;
  }

  /** Checks a header; returns its normalized path ('' for the root folder entry). */
  admit(header: EntryHeader): string {
    this.entries += 1;
    if (this.entries > this.limits.maxEntries) throw new UnsafeArchiveError(header.name, `more than ${this.limits.maxEntries} entries`);
    const path = normalizeEntryName(header.name);
    switch (header.kind) {
      case 'file':
      case 'directory':
      case 'symlink':
        break;
      case 'hardlink':
        throw new UnsafeArchiveError(header.name, `hard link${header.linkTarget ? ` to '${header.linkTarget}'` : ''}`);
      case 'device':
      case 'fifo':
        throw new UnsafeArchiveError(header.name, header.kind === 'fifo' ? 'FIFO entry' : `device entry (${header.typeName ?? 'device'})`);
      default:
        throw new UnsafeArchiveError(header.name, `unsupported entry type ${header.typeName ?? 'unknown'}`);
    }
    // On a folder setgid only makes new files inherit the group (tar of a shared folder keeps it): harmless.
    if (header.kind !== 'directory' && (header.mode & SETID_BITS) !== 0) throw new UnsafeArchiveError(header.name, `setuid/setgid bit in mode ${(header.mode & 0o7777).toString(8).padStart(4, '0')}`);
    if (header.size > this.limits.maxEntryBytes) throw new UnsafeArchiveError(header.name, `entry of ${header.size} bytes is over the ${this.limits.maxEntryBytes}-byte limit`);
    if (header.kind === 'symlink' && header.linkTarget !== undefined) this.checkLink(header.name, path, header.linkTarget);
    if (path !== '') this.record(header.name, path, header.kind === 'directory' ? 'directory' : 'file');
    return path;
  }

  /** For formats that keep a symlink's target in its data (zip). */
  checkLink(rawName: string, path: string, target: string): void {
    if (linkEscapes(path, target)) throw new UnsafeArchiveError(rawName, `symbolic link leaving the package (-> '${target}')`);
  }

  /** Counts `bytes` more inflated data of entry `rawName`, which now holds `entryBytes`. */
  addEntryBytes(rawName: string, entryBytes: number, bytes: number): void {
    if (entryBytes > this.limits.maxEntryBytes) throw new UnsafeArchiveError(rawName, `entry inflates past the ${this.limits.maxEntryBytes}-byte limit`);
    this.addInflated(bytes, rawName);
  }

  /** Counts inflated bytes that belong to no entry (tar headers and padding, or a bomb of zeros). */
  addInflated(bytes: number, rawName = ''): void {
    this.inflated += bytes;
    if (this.inflated > this.limits.maxInflatedBytes) throw new UnsafeArchiveError(rawName, `archive inflates past the ${this.limits.maxInflatedBytes}-byte limit`);
  }

  /** Whole-archive compression ratio, once enough has been inflated for it to mean something. */
  checkRatio(inflatedBytes: number, compressedBytes: number, rawName = ''): void {
    if (inflatedBytes <= this.limits.ratioFloorBytes) return;
    if (inflatedBytes > this.limits.maxCompressionRatio * Math.max(compressedBytes, 1)) {
      throw new UnsafeArchiveError(rawName, `compression ratio over ${this.limits.maxCompressionRatio} (${inflatedBytes} bytes from ${compressedBytes}): a compression bomb`);
    }
  }

  private record(rawName: string, path: string, kind: 'file' | 'directory'): void {
    const segments = path.split('/');
    for (let i = 1; i < segments.length; i += 1) {
      const ancestor = segments.slice(0, i).join('/');
      const existing = this.kinds.get(ancestor);
      if (existing === 'file') throw new UnsafeArchiveError(rawName, `'${ancestor}' is both a file and a folder`);
      if (existing === undefined) {
        this.kinds.set(ancestor, 'directory');
        this.fold(rawName, ancestor);
      }
    }
    const existing = this.kinds.get(path);
    if (existing !== undefined && (existing === 'file' || kind === 'file')) throw new UnsafeArchiveError(rawName, 'duplicate name');
    if (existing === undefined) {
      this.kinds.set(path, kind);
      this.fold(rawName, path);
    }
  }

  /** Case-insensitive file systems (macOS, Windows) would merge these: the scanner would see one file, an install the other. */
  private fold(rawName: string, path: string): void {
    const key = path.normalize('NFC').toLowerCase();
    const first = this.folded.get(key);
    if (first !== undefined && first !== path) throw new UnsafeArchiveError(rawName, `case-colliding names ('${path}' and '${first}')`);
    if (first === undefined) this.folded.set(key, path);
  }
}
