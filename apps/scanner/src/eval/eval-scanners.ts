import type { Package } from '@toolport/contracts';
import { readPackageDirectory, unpackArchiveFile } from '../artifacts';
import type { ArtifactEcosystem } from '../artifacts';
import type { AdvisoryDatabase } from '../package-analyzers';
import { localArtifactSource, packageAnalysisWith } from '../scan-engine/package-seams';
import { ToolportScanEngine } from '../scan-engine/scan-engine';
import type { EvalScanners } from './eval-run';

const REGISTRY_TYPE: Record<ArtifactEcosystem, string> = { npm: 'npm', pypi: 'pypi', mcpb: 'mcpb' };

/**
 * Packages and archives from disk through the production ToolportScanEngine: a one-package
 * server.json whose artifact source reads the local directory or archive instead of a registry,
 * so an item gets exactly the findings a scan of the same bytes would (fetch/unpack findings,
 * package analyzers, tool analysis of extracted tools), minus digest checks.
 */
export function evalScanners(advisories: AdvisoryDatabase): EvalScanners {
  const analysis = packageAnalysisWith(advisories);
  const scanWith = async (registryType: string, identifier: string, load: (pkg: Package) => ReturnType<typeof unpackArchiveFile>) => {
    const engine = new ToolportScanEngine({ packages: { source: localArtifactSource(load), analysis } });
    const server = { name: 'io.toolport.eval/item', version: '0.0.0', packages: [{ registryType, identifier, version: '0.0.0', transport: { type: 'stdio' } }] };
    const result = await engine.scan({ serverName: server.name, version: server.version, server, declaredTools: [] }, new AbortController().signal);
    return result.findings;
  };
  return {
    scanDirectory: (path, ecosystem) => scanWith(REGISTRY_TYPE[ecosystem], path, () => readPackageDirectory(path, ecosystem)),
    scanArchive: (path) => scanWith('mcpb', path, () => unpackArchiveFile(path)),
  };
}
