import type { PackageContents } from '../../artifacts/package-contents';
import { lineLocator } from '../package-finding';
import { isRecord, isVendored, parseJson } from '../package-files';
import type { DependencyEcosystem } from './advisory-database';

/** One dependency as the package states or ships it. */
export interface Dependency {
  ecosystem: DependencyEcosystem;
  name: string;
  /** An exact version: lock files, vendored copies, `==` pins. */
  exact?: string;
  /** A declared range (npm) or specifier. */
  range?: string;
  /** `file:line` where it is stated. */
  location: string;
  /** How the dependency is known, for messages. */
  source: 'declared' | 'lock' | 'vendored' | 'pinned';
}

const DEP_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies'] as const;

const lineOfKey = (text: string, key: string, from = 0): number => {
  const at = text.indexOf(`"${key}"`, from);
  return at < 0 ? 1 : lineLocator(text)(at);
};

/**
 * Runtime dependencies from every manifest the package ships: package.json ranges (devDependencies
 * left out: consumers never install them), package-lock.json / npm-shrinkwrap.json v1–v3 exact
 * versions (dev entries left out), every vendored `node_modules/**\/package.json`, and Python's
 * `==` pins in requirements*.txt, pyproject.toml and PKG-INFO/METADATA.
 */
export function dependencyInventory(contents: PackageContents): Dependency[] {
  const deps: Dependency[] = [];
  for (const file of contents.files) {
    if (file.text === null) continue;
    const path = file.path;
    const text = file.text;
    const base = path.split('/').pop()!;
    if (base === 'package.json') {
      const json = parseJson(text);
      if (!isRecord(json)) continue;
      const vendoredCopy = /(^|\/)node_modules\/(?:@[^/]+\/)?[^/]+\/package\.json$/.test(path);
      if (vendoredCopy) {
        if (typeof json.name === 'string' && typeof json.version === 'string') deps.push({ ecosystem: 'npm', name: json.name, exact: json.version, location: `${path}:${lineOfKey(text, 'version')}`, source: 'vendored' });
        continue;
      }
      if (isVendored(path)) continue;
      for (const field of DEP_FIELDS) {
        const section = json[field];
        if (!isRecord(section)) continue;
        const sectionAt = text.indexOf(`"${field}"`);
        for (const [name, spec] of Object.entries(section)) {
          if (typeof spec === 'string') deps.push({ ecosystem: 'npm', name, range: spec, location: `${path}:${lineOfKey(text, name, Math.max(0, sectionAt))}`, source: 'declared' });
        }
      }
    } else if ((base === 'package-lock.json' || base === 'npm-shrinkwrap.json') && !isVendored(path)) {
      deps.push(...lockDependencies(path, text));
    } else if (base === 'METADATA' && /\/[^/]+\.dist-info\/METADATA$/.test(path) && path.split('/').length > 2) {
      // A vendored Python distribution (mcpb bundles ship `server/lib/<dist>.dist-info`): its own name and version.
      const name = /^Name:\s*(\S+)/m.exec(text)?.[1];
      const version = /^Version:\s*(\S+)/m.exec(text)?.[1];
      if (name && version) deps.push({ ecosystem: 'PyPI', name, exact: version, location: `${path}:1`, source: 'vendored' });
    } else if (/^requirements[\w.-]*\.txt$/i.test(base) || base === 'pyproject.toml' || base === 'PKG-INFO' || base === 'METADATA') {
      deps.push(...pythonPins(path, text));
    }
  }
  const seen = new Set<string>();
  return deps.filter((d) => {
    const key = `${d.ecosystem}|${d.name}|${d.exact ?? ''}|${d.range ?? ''}|${d.source}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function lockDependencies(path: string, text: string): Dependency[] {
  const json = parseJson(text);
  if (!isRecord(json)) return [];
  const out: Dependency[] = [];
  const line = lineLocator(text);
  if (isRecord(json.packages)) {
    for (const [key, entry] of Object.entries(json.packages)) {
      if (!key.includes('node_modules/') || !isRecord(entry) || entry.dev === true || entry.link === true || typeof entry.version !== 'string') continue;
      const name = typeof entry.name === 'string' ? entry.name : key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
      const at = text.indexOf(`"${key}"`);
      out.push({ ecosystem: 'npm', name, exact: entry.version, location: `${path}:${at < 0 ? 1 : line(at)}`, source: 'lock' });
    }
    return out;
  }
  const walk = (deps: unknown) => {
    if (!isRecord(deps)) return;
    for (const [name, entry] of Object.entries(deps)) {
      if (!isRecord(entry) || entry.dev === true) continue;
      if (typeof entry.version === 'string' && !/^(?:file|link|git|https?):/.test(entry.version)) {
        const at = text.indexOf(`"${name}"`);
        out.push({ ecosystem: 'npm', name, exact: entry.version, location: `${path}:${at < 0 ? 1 : line(at)}`, source: 'lock' });
      }
      walk(entry.dependencies);
    }
  };
  walk(json.dependencies);
  return out;
}

const PIN = /^\s*["']?([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*\(?\s*===?\s*([A-Za-z0-9.!+_-]+)\s*\)?\s*(?:;[^"'\n]*)?["']?,?\s*(?:#.*)?$/;

function pythonPins(path: string, text: string): Dependency[] {
  const out: Dependency[] = [];
  const lines = text.split('\n');
  const inPyproject = path.endsWith('pyproject.toml');
  let inDeps = !inPyproject;
  lines.forEach((raw, i) => {
    let l = raw;
    if (inPyproject) {
      if (/^\s*dependencies\s*=\s*\[/.test(l)) {
        inDeps = true;
        l = l.replace(/^\s*dependencies\s*=\s*\[/, '');
      }
      if (!inDeps) return;
      if (/\]/.test(l)) inDeps = false;
      for (const item of l.matchAll(/["']([^"']+)["']/g)) {
        const m = PIN.exec(item[1]);
        if (m) out.push({ ecosystem: 'PyPI', name: m[1], exact: m[2], location: `${path}:${i + 1}`, source: 'pinned' });
      }
      return;
    }
    if (/^(?:PKG-INFO|METADATA)$/.test(path.split('/').pop()!)) {
      const req = /^Requires-Dist:\s*(.+)$/.exec(l);
      if (!req) return;
      l = req[1];
    }
    const m = PIN.exec(l);
    if (m) out.push({ ecosystem: 'PyPI', name: m[1], exact: m[2], location: `${path}:${i + 1}`, source: 'pinned' });
  });
  return out;
}
