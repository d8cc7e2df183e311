import { UnsafeArchiveError } from './archive-errors';
import { linkEscapes } from './entry-guard';
import type { PackageFile } from './package-contents';
import type { UnpackLimits } from './unpack-limits';

/**
 * How archive paths map to package paths: npm tarballs put everything under one folder that
 * npm drops whatever its name (`package/` by convention; pacote extracts with strip 1); sdists
 * have one `<name>-<version>/` folder; wheels, mcpb bundles and directories are already rooted.
 */
export type StripRule = 'none' | 'first-segment' | 'single-top-folder';

/** Where binary detection looks for a NUL byte (git's heuristic looks at the first 8000 bytes). */
const BINARY_SNIFF_BYTES = 8000;

/** Receives one file's data as it is inflated; holds it only while it may still become text. */
export interface FileSink {
  push(chunk: Buffer): void;
  end(): void;
}

export interface CollectedFiles {
  files: PackageFile[];
  /** Text files listed with `text: null` because the package's text budget was spent. */
  textBudgetSkipped: string[];
}

/** Builds the PackageFile list under the text caps; see UnpackLimits for the memory bound. */
export class FileCollector {
  private readonly files: Array<PackageFile & { rawName: string }> = [];
  private textBytes = 0;
  private readonly budgetSkipped: string[] = [];
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly limits: UnpackLimits) {}

  openFile(rawName: string, path: string, mode: number): FileSink {
    let size = 0;
    let chunks: Buffer[] | null = [];
    return {
      push: (chunk) => {
        size += chunk.byteLength;
        if (chunks === null) return;
        if (size > this.limits.maxTextBytes || (size - chunk.byteLength < BINARY_SNIFF_BYTES && chunk.subarray(0, BINARY_SNIFF_BYTES).includes(0))) chunks = null;
        else chunks.push(chunk);
      },
      end: () => {
        this.files.push({ rawName, path, size, mode, text: chunks === null ? null : this.toText(path, chunks, size) });
        chunks = null;
      },
    };
  }

  addFile(rawName: string, path: string, mode: number, size: number, text: string | null): void {
    this.files.push({ rawName, path, size, mode, text });
  }

  addSymlink(rawName: string, path: string, mode: number, target: string): void {
    this.files.push({ rawName, path, size: 0, mode, text: null, linkTarget: target });
  }

  /** Reserves text budget for a file of `size` bytes; false (and noted) when it is spent. */
  reserveText(path: string, size: number): boolean {
    if (this.textBytes + size > this.limits.maxTotalTextBytes) {
      this.budgetSkipped.push(path);
      return false;
    }
    this.textBytes += size;
    return true;
  }

  finish(strip: StripRule): CollectedFiles {
    const files = stripPaths(this.files, strip);
    const finalPath = new Map(this.files.map((file, i) => [file.path, files[i]!.path]));
    return {
      files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
      textBudgetSkipped: this.budgetSkipped.map((path) => finalPath.get(path) ?? path),
    };
  }

  private toText(path: string, chunks: Buffer[], size: number): string | null {
    let text: string;
    try {
      text = this.decoder.decode(Buffer.concat(chunks, size));
    } catch {
      return null; // not UTF-8: treated as binary
    }
    return this.reserveText(path, size) ? text : null;
  }
}

function stripPaths(files: ReadonlyArray<PackageFile & { rawName: string }>, strip: StripRule): PackageFile[] {
  let drop: (path: string) => string = (path) => path;
  if (strip === 'first-segment') drop = (path) => (path.includes('/') ? path.slice(path.indexOf('/') + 1) : path);
  if (strip === 'single-top-folder' && files.length > 0) {
    const top = files[0]!.path.split('/')[0]!;
    if (files.every((file) => file.path.startsWith(`${top}/`))) drop = (path) => path.slice(top.length + 1);
  }
  const seen = new Map<string, string>();
  return files.map(({ rawName, ...file }) => {
    const path = drop(file.path);
    const key = path.normalize('NFC').toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) throw new UnsafeArchiveError(rawName, first === path ? `duplicate name '${path}' once the top folder is removed` : `case-colliding names ('${path}' and '${first}') once the top folder is removed`);
    seen.set(key, path);
    // A link that stayed inside the archive may still leave the package once its folder is gone.
    if (file.linkTarget !== undefined && linkEscapes(path, file.linkTarget)) throw new UnsafeArchiveError(rawName, `symbolic link leaving the package (-> '${file.linkTarget}')`);
    return { ...file, path };
  });
}
