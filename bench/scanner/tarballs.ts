import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Real MCP servers published on npm: what the scanner meets in practice. */
export const DEFAULT_PACKAGES = [
  '@modelcontextprotocol/server-filesystem',
  '@modelcontextprotocol/server-everything',
  '@modelcontextprotocol/server-memory',
  '@modelcontextprotocol/server-sequential-thinking',
  '@modelcontextprotocol/server-github',
  '@modelcontextprotocol/server-puppeteer',
  'mcp-remote',
];

export interface Tarball {
  name: string;
  version: string;
  file: string;
  bytes: number;
}

interface VersionDocument {
  version: string;
  dist: { tarball: string; integrity?: string };
}

async function getOk(url: string): Promise<Response> {
  const response = await fetch(url, { headers: { 'user-agent': 'toolport-bench-scanner' }, signal: AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return response;
}

/**
 * The latest tarball of `name`, downloaded once into `cacheDir` and checked against the
 * registry's `dist.integrity` (SRI sha512), so every run scans the same bytes npm serves.
 */
export async function cachedTarball(registry: string, name: string, cacheDir: string): Promise<Tarball> {
  const latest = (await (await getOk(`${registry}/${name.replace('/', '%2F')}/latest`)).json()) as VersionDocument;
  const file = path.join(cacheDir, `${name.replace(/[@/]/g, '_')}-${latest.version}.tgz`);
  if (!existsSync(file)) {
    await mkdir(cacheDir, { recursive: true });
    const bytes = Buffer.from(await (await getOk(latest.dist.tarball)).arrayBuffer());
    const integrity = latest.dist.integrity;
    if (integrity?.startsWith('sha512-')) {
      const actual = createHash('sha512').update(bytes).digest('base64');
      if (actual !== integrity.slice('sha512-'.length)) throw new Error(`${name}@${latest.version}: the tarball does not match dist.integrity`);
    }
    await writeFile(`${file}.part`, bytes);
    await rename(`${file}.part`, file);
  }
  return { name, version: latest.version, file, bytes: (await readFile(file)).byteLength };
}
