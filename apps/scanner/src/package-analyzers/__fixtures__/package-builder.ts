import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ArtifactEcosystem, PackageContents } from '../../artifacts/package-contents';
import { parseJson, isRecord } from '../package-files';

/** Test helpers: in-memory packages, and a tiny directory reader for the corpus. */

export function pkg(files: Record<string, string>, options: { ecosystem?: ArtifactEcosystem; identifier?: string; version?: string } = {}): PackageContents {
  const manifest = isRecord(parseJson(files['package.json'])) ? (parseJson(files['package.json']) as Record<string, unknown>) : {};
  return {
    ecosystem: options.ecosystem ?? 'npm',
    identifier: options.identifier ?? (typeof manifest.name === 'string' ? manifest.name : 'fixture-package'),
    version: options.version ?? (typeof manifest.version === 'string' ? manifest.version : '1.0.0'),
    files: Object.entries(files).map(([path, text]) => ({ path, size: Buffer.byteLength(text), text, mode: 0o644 })),
  };
}

export const packageJson = (fields: Record<string, unknown>): string => JSON.stringify({ name: 'fixture-package', version: '1.0.0', ...fields }, null, 2);

/** Reads a directory as the artifact helper would hand it over (text files only; binary → null). */
export function readPackageDir(dir: string, ecosystem: ArtifactEcosystem, identifier?: string): PackageContents {
  const files: PackageContents['files'] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full);
      else {
        const bytes = readFileSync(full);
        const binary = bytes.includes(0);
        files.push({ path: relative(dir, full).split(sep).join('/'), size: bytes.length, text: binary ? null : bytes.toString('utf8'), mode: stat.mode & 0o7777 });
      }
    }
  };
  walk(dir);
  const manifest = parseJson(files.find((f) => f.path === 'package.json')?.text ?? files.find((f) => f.path === 'manifest.json')?.text);
  const name = isRecord(manifest) && typeof manifest.name === 'string' ? manifest.name : identifier ?? dir.split(sep).pop()!;
  const version = isRecord(manifest) && typeof manifest.version === 'string' ? manifest.version : '0.0.0';
  return { ecosystem, identifier: identifier ?? name, version, files };
}
