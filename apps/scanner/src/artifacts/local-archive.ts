import { createReadStream } from 'node:fs';
import { lstat, open, opendir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { UnreadableArchiveError, UnsafeArchiveError } from './archive-errors';
import { textBudgetFindings, unreadableFinding, unsafeFinding } from './artifact-download';
import { EntryGuard, type EntryKind } from './entry-guard';
import { type CollectedFiles, FileCollector, type StripRule } from './file-collector';
import type { ArtifactEcosystem, FetchedArtifact } from './package-contents';
import { TarGzUnpacker } from './tar-unpacker';
import { unpackLimits, type UnpackLimits } from './unpack-limits';
import { unpackZipFile } from './zip-unpacker';

export interface LocalArchiveOptions {
  /** Defaults from the extension: .tgz npm, .tar.gz and .whl pypi, .zip and .mcpb mcpb. */
  ecosystem?: ArtifactEcosystem;
  identifier?: string;
  version?: string;
}

interface ArchiveKind {
  format: 'tar.gz' | 'zip';
  strip: StripRule;
  ecosystem: ArtifactEcosystem;
}

function archiveKind(file: string): ArchiveKind | null {
  const lower = file.toLowerCase();
  if (lower.endsWith('.tgz')) return { format: 'tar.gz', strip: 'first-segment', ecosystem: 'npm' };
  if (lower.endsWith('.tar.gz')) return { format: 'tar.gz', strip: 'single-top-folder', ecosystem: 'pypi' };
  if (lower.endsWith('.whl')) return { format: 'zip', strip: 'none', ecosystem: 'pypi' };
  if (lower.endsWith('.zip') || lower.endsWith('.mcpb')) return { format: 'zip', strip: 'none', ecosystem: 'mcpb' };
  return null;
}

/**
 * Unpacks an archive on disk (`.tgz`, `.tar.gz`, `.zip`, `.mcpb`, `.whl`) with the same checks and
 * caps as a download: for the evaluation CLI and tests. No digest is involved, so
 * `integrityVerified` is false and no digest finding is made.
 */
export async function unpackArchiveFile(file: string, limits: Partial<UnpackLimits> = {}, options: LocalArchiveOptions = {}): Promise<FetchedArtifact> {
  const kind = archiveKind(file);
  if (!kind) throw new Error(`${file}: not a .tgz, .tar.gz, .zip, .mcpb or .whl archive`);
  const all = unpackLimits(limits);
  const label = path.basename(file);
  try {
    const collected = kind.format === 'zip' ? await unpackZipFile(file, all, kind.strip) : await unpackTarGzFile(file, all, kind.strip);
    return outcome(collected, { ecosystem: options.ecosystem ?? kind.ecosystem, identifier: options.identifier ?? label, version: options.version ?? '' }, all);
  } catch (error) {
    return refusal(error, label);
  }
}

async function unpackTarGzFile(file: string, limits: UnpackLimits, strip: StripRule): Promise<CollectedFiles> {
  const unpacker = new TarGzUnpacker(limits, strip);
  const input = createReadStream(file, { highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of input) await unpacker.write(chunk as Buffer);
  } catch (error) {
    unpacker.abort();
    throw error;
  } finally {
    input.destroy();
  }
  return unpacker.end();
}

/**
 * Reads a package that is already a folder (the evaluation corpus keeps packages "as inside their
 * archive") under the same caps and checks: links are never followed (one leaving the folder is
 * unsafe), devices, FIFOs and setuid files are refused, only text under the caps is read.
 */
export async function readPackageDirectory(dir: string, ecosystem: ArtifactEcosystem, limits: Partial<UnpackLimits> = {}, options: Omit<LocalArchiveOptions, 'ecosystem'> = {}): Promise<FetchedArtifact> {
  const all = unpackLimits(limits);
  const guard = new EntryGuard(all);
  const collector = new FileCollector(all);
  const label = path.basename(path.resolve(dir));
  try {
    await walk(dir, '', guard, collector, all);
    return outcome(collector.finish('none'), { ecosystem, identifier: options.identifier ?? label, version: options.version ?? '' }, all);
  } catch (error) {
    return refusal(error, label);
  }
}

async function walk(root: string, relative: string, guard: EntryGuard, collector: FileCollector, limits: UnpackLimits): Promise<void> {
  const folder = await opendir(path.join(root, relative));
  const names: string[] = [];
  for await (const entry of folder) names.push(entry.name);
  names.sort();
  for (const name of names) {
    const rel = relative ? `${relative}/${name}` : name;
    const full = path.join(root, rel);
    const stat = await lstat(full);
    const kind: EntryKind = stat.isFile() ? 'file' : stat.isDirectory() ? 'directory' : stat.isSymbolicLink() ? 'symlink' : stat.isFIFO() ? 'fifo' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'device' : 'other';
    const linkTarget = kind === 'symlink' ? await readlink(full) : undefined;
    const rawName = kind === 'directory' ? `${rel}/` : rel;
    const entryPath = guard.admit({ name: rawName, kind, mode: stat.mode & 0o7777, size: kind === 'file' ? stat.size : 0, typeName: kind === 'other' ? 'socket' : undefined, ...(linkTarget !== undefined ? { linkTarget } : {}) });
    if (kind === 'directory') {
      await walk(root, rel, guard, collector, limits);
    } else if (kind === 'symlink') {
      collector.addSymlink(rawName, entryPath, stat.mode & 0o7777, linkTarget ?? '');
    } else {
      guard.addEntryBytes(rawName, stat.size, stat.size);
      if (stat.size > limits.maxTextBytes) {
        collector.addFile(rawName, entryPath, stat.mode & 0o7777, stat.size, null);
        continue;
      }
      const sink = collector.openFile(rawName, entryPath, stat.mode & 0o7777);
      const handle = await open(full, 'r');
      try {
        // Read at most the cap (+1 to notice a file that grew since lstat).
        const buffer = Buffer.alloc(Math.min(stat.size, limits.maxTextBytes) + 1);
        const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, 0);
        sink.push(buffer.subarray(0, bytesRead));
      } finally {
        await handle.close();
      }
      sink.end();
    }
  }
}

function outcome(collected: CollectedFiles, identity: { ecosystem: ArtifactEcosystem; identifier: string; version: string }, limits: UnpackLimits): FetchedArtifact {
  return { contents: { ...identity, files: collected.files }, findings: textBudgetFindings(collected, limits.maxTotalTextBytes), integrityVerified: false };
}

function refusal(error: unknown, label: string): FetchedArtifact {
  if (error instanceof UnsafeArchiveError) return { contents: null, findings: [unsafeFinding(error, label)], integrityVerified: false };
  if (error instanceof UnreadableArchiveError) return { contents: null, findings: [unreadableFinding(error, label)], integrityVerified: false };
  throw error;
}
