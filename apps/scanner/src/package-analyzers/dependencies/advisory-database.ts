import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * An offline OSV database (https://ossf.github.io/osv-schema/): OSV JSON files in a directory
 * (one advisory per file, as OSV's per-ecosystem `all.zip` unpacks), indexed by ecosystem and
 * normalised package name. The loader is the only I/O of the package analyzers.
 */

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: string;
  events: OsvEvent[];
}

export interface OsvAffected {
  package?: { ecosystem?: string; name?: string };
  ranges?: OsvRange[];
  versions?: string[];
  database_specific?: Record<string, unknown>;
}

export interface OsvAdvisory {
  id: string;
  summary?: string;
  details?: string;
  aliases?: string[];
  modified?: string;
  withdrawn?: string;
  affected?: OsvAffected[];
  severity?: { type: string; score: string }[];
  database_specific?: Record<string, unknown>;
}

export interface AdvisoryDatabase {
  /** Advisories by `advisoryKey(ecosystem, name)`. */
  byPackage: ReadonlyMap<string, readonly OsvAdvisory[]>;
  size: number;
  /**
   * SHA-256 over the ids and `modified` stamps of every advisory: changes when the data changes,
   * so the scan pipeline can fold it into its rules version and rescan on new advisories.
   */
  fingerprint: string;
  /** Files that could not be read as OSV JSON (reported, not fatal). */
  rejected: string[];
}

export type DependencyEcosystem = 'npm' | 'PyPI';

/** PEP 503 for PyPI (`Foo_Bar.baz` → `foo-bar-baz`); npm names are case-sensitive but lower-case by rule. */
export function normalizePackageName(ecosystem: DependencyEcosystem, name: string): string {
  return ecosystem === 'PyPI' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name.toLowerCase();
}

export const advisoryKey = (ecosystem: DependencyEcosystem, name: string): string => `${ecosystem}:${normalizePackageName(ecosystem, name)}`;

function ecosystemOf(value: string | undefined): DependencyEcosystem | undefined {
  if (!value) return undefined;
  const base = value.split(':')[0].toLowerCase();
  return base === 'npm' ? 'npm' : base === 'pypi' ? 'PyPI' : undefined;
}

const isAdvisory = (v: unknown): v is OsvAdvisory =>
  typeof v === 'object' && v !== null && typeof (v as OsvAdvisory).id === 'string' && (v as OsvAdvisory).id.length > 0 && Array.isArray((v as OsvAdvisory).affected ?? []);

/** Indexes parsed OSV documents (pure; the loader and tests both use it). Withdrawn advisories are left out. */
export function buildAdvisoryDatabase(documents: readonly unknown[], rejected: string[] = []): AdvisoryDatabase {
  const byPackage = new Map<string, OsvAdvisory[]>();
  const stamps: string[] = [];
  let size = 0;
  for (const doc of documents) {
    if (!isAdvisory(doc) || doc.withdrawn) continue;
    size++;
    stamps.push(`${doc.id}@${doc.modified ?? ''}`);
    const keys = new Set<string>();
    for (const affected of doc.affected ?? []) {
      const ecosystem = ecosystemOf(affected.package?.ecosystem);
      if (ecosystem && affected.package?.name) keys.add(advisoryKey(ecosystem, affected.package.name));
    }
    for (const key of keys) byPackage.set(key, [...(byPackage.get(key) ?? []), doc]);
  }
  const fingerprint = createHash('sha256').update(stamps.sort().join('\n')).digest('hex');
  return { byPackage, size, fingerprint, rejected };
}

export const emptyAdvisoryDatabase = (): AdvisoryDatabase => buildAdvisoryDatabase([]);

/**
 * Reads every `*.json` under `dir` (recursively) once. A missing directory is an error; a bad file
 * is listed in `rejected`. Synchronous because the scanner builds its engine while its module is
 * assembled, once at start; the async form is for callers that prefer it.
 */
export function loadAdvisoryDatabaseSync(dir: string): AdvisoryDatabase {
  const documents: unknown[] = [];
  const rejected: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.json')) {
        try {
          const doc = JSON.parse(readFileSync(full, 'utf8')) as unknown;
          if (isAdvisory(doc)) documents.push(doc);
          else rejected.push(full);
        } catch {
          rejected.push(full);
        }
      }
    }
  };
  walk(dir);
  return buildAdvisoryDatabase(documents, rejected);
}

export function loadAdvisoryDatabase(dir: string): Promise<AdvisoryDatabase> {
  return new Promise((resolve) => resolve(loadAdvisoryDatabaseSync(dir)));
}
