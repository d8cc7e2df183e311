import { FetchError, fetchJson } from '@toolport/platform';
import type { Package } from '@toolport/contracts';
import { ArtifactFetchError } from './archive-errors';
import { type ArtifactFetchDeps, type ArchiveFormat, asFetchFailure, downloadArtifact } from './artifact-download';
import type { FetchedArtifact } from './package-contents';

interface Distribution {
  url: string;
  filename: string;
  kind: 'sdist' | 'wheel';
  format: ArchiveFormat;
  sha256: string | null;
}

/**
 * PyPI: the release JSON `GET <base>/pypi/<name>/<version>/json` lists the files; the sdist is
 * preferred (it holds the source as written, setup.py included), else a pure-Python wheel, else
 * any wheel. The file's published `digests.sha256` is checked.
 */
export async function fetchPypiArtifact(pkg: Package, deps: ArtifactFetchDeps): Promise<FetchedArtifact> {
  const name = pkg.identifier;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new ArtifactFetchError(`'${name}' is not a valid PyPI project name`, false, 'invalid-metadata');
  if (!pkg.version) throw new ArtifactFetchError(`PyPI package '${name}' has no version to scan`, false, 'no-version');
  const base = (pkg.registryBaseUrl ?? deps.config.pypiUrl).replace(/\/+$/, '');
  let document: unknown;
  try {
    ({ json: document } = await fetchJson(deps.fetcher, `${base}/pypi/${encodeURIComponent(name)}/${encodeURIComponent(pkg.version)}/json`, deps.config.maxDocumentBytes));
  } catch (error) {
    if (error instanceof FetchError && error.kind === 'not-found') throw new ArtifactFetchError(`PyPI package '${name}' ${pkg.version} not found at ${base}`, false, 'not-found');
    throw asFetchFailure(error);
  }
  const chosen = chooseDistribution(document);
  if (!chosen) throw new ArtifactFetchError(`PyPI release '${name}' ${pkg.version} has no sdist (.tar.gz or .zip) or wheel to scan`, false, 'no-distribution');
  return downloadArtifact(
    {
      url: new URL(chosen.url, `${base}/`).href,
      format: chosen.format,
      strip: chosen.kind === 'sdist' ? 'single-top-folder' : 'none',
      expected: chosen.sha256 ? { algorithm: 'sha256', hex: chosen.sha256, source: `digests.sha256 of ${chosen.filename}` } : null,
      missingDigest: `PyPI file ${chosen.filename} has no published sha256; its integrity is not verified`,
      ecosystem: 'pypi',
      identifier: name,
      version: pkg.version,
    },
    deps,
  );
}

export function chooseDistribution(document: unknown): Distribution | null {
  const urls = typeof document === 'object' && document !== null ? (document as { urls?: unknown }).urls : undefined;
  if (!Array.isArray(urls)) return null;
  const candidates: Distribution[] = [];
  for (const item of urls as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const file = item as { url?: unknown; filename?: unknown; packagetype?: unknown; digests?: { sha256?: unknown } };
    if (typeof file.url !== 'string' || typeof file.filename !== 'string') continue;
    const sha256 = typeof file.digests?.sha256 === 'string' && /^[a-fA-F0-9]{64}$/.test(file.digests.sha256) ? file.digests.sha256.toLowerCase() : null;
    const lower = file.filename.toLowerCase();
    if (file.packagetype === 'sdist' && (lower.endsWith('.tar.gz') || lower.endsWith('.tgz'))) candidates.push({ url: file.url, filename: file.filename, kind: 'sdist', format: 'tar.gz', sha256 });
    else if (file.packagetype === 'sdist' && lower.endsWith('.zip')) candidates.push({ url: file.url, filename: file.filename, kind: 'sdist', format: 'zip', sha256 });
    else if (file.packagetype === 'bdist_wheel' && lower.endsWith('.whl')) candidates.push({ url: file.url, filename: file.filename, kind: 'wheel', format: 'zip', sha256 });
  }
  const rank = (d: Distribution) => (d.kind === 'sdist' ? (d.format === 'tar.gz' ? 0 : 1) : d.filename.toLowerCase().endsWith('-none-any.whl') ? 2 : 3);
  return candidates.sort((a, b) => rank(a) - rank(b))[0] ?? null;
}
