import type { Finding } from '../analyzers/finding';

/** Ecosystems whose artifacts the scanner fetches and unpacks (OCI images are recorded, not unpacked). */
export type ArtifactEcosystem = 'npm' | 'pypi' | 'mcpb';

/**
 * One file of an unpacked artifact, as the package analyzers see it. Paths are relative to the
 * package root (npm's leading `package/` and a wheel's or sdist's top folder already stripped),
 * with `/` separators. Only text is held: binary files and files over the per-file text cap are
 * listed with `text: null`, so a worker's memory stays bounded by the caps, not by the archive.
 */
export interface PackageFile {
  path: string;
  /** Inflated size in bytes. */
  size: number;
  /** UTF-8 text of the file, or null when it is binary or larger than the text cap. */
  text: string | null;
  /** Unix mode bits as the archive recorded them (0 when the format has none). */
  mode: number;
  /** Set for a symbolic link (one that stays inside the package; others make the archive unsafe): its target. */
  linkTarget?: string;
}

/** What a fetched and safely unpacked artifact gives the analyzers. */
export interface PackageContents {
  ecosystem: ArtifactEcosystem;
  /** Package name (npm name, PyPI project, or the mcpb file's URL). */
  identifier: string;
  version: string;
  files: PackageFile[];
}

/** The outcome of fetching one package of a server version. */
export interface FetchedArtifact {
  /** Null when nothing could be analysed (unsafe archive, integrity mismatch, OCI image). */
  contents: PackageContents | null;
  /** Findings of fetching and unpacking: integrity mismatch, unsafe archive, OCI not scanned... */
  findings: Finding[];
  /** True when the bytes were checked against a digest the registry or server.json published. */
  integrityVerified: boolean;
}
