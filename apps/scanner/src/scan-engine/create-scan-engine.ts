import { existsSync } from 'node:fs';
import type { Logger } from '@toolport/observability';
import { createArtifactHttpFetcher, createArtifactSource } from '../artifacts';
import { ARTIFACT_RULES_VERSION } from '../artifacts';
import type { PackageScanConfig } from '../config';
import { emptyAdvisoryDatabase, loadAdvisoryDatabaseSync } from '../package-analyzers';
import { packageAnalysisWith } from './package-seams';
import { ToolportScanEngine } from './scan-engine';

/**
 * The production engine from the scanner's settings: packages fetched from their registries
 * (integrity checked, unpacked safely, never executed) and analysed with the advisory database
 * loaded once here, or the declared tools only when package scanning is off.
 */
export function createScanEngine(config: PackageScanConfig, logger: Pick<Logger, 'info' | 'warn'>): ToolportScanEngine {
  if (!config.enabled) {
    logger.warn({ setting: 'TOOLPORT_SCANNER_FETCH_PACKAGES' }, 'package scanning is off: only declared tools are analysed and no version can reach the verified trust level');
    return new ToolportScanEngine();
  }
  if (config.advisoryDir !== null && !existsSync(config.advisoryDir)) {
    throw new Error(`TOOLPORT_SCANNER_ADVISORY_DIR=${config.advisoryDir} does not exist`);
  }
  const advisories = config.advisoryDir === null ? emptyAdvisoryDatabase() : loadAdvisoryDatabaseSync(config.advisoryDir);
  if (config.advisoryDir === null) logger.warn({ setting: 'TOOLPORT_SCANNER_ADVISORY_DIR' }, 'no advisory database configured: dependencies are not checked against known vulnerabilities');
  else logger.info({ advisories: advisories.size, rejected: advisories.rejected.length, dir: config.advisoryDir }, 'advisory database loaded');
  const source = createArtifactSource({ fetcher: createArtifactHttpFetcher(config.artifacts), config: config.artifacts });
  return new ToolportScanEngine({ packages: { source: { rulesVersion: ARTIFACT_RULES_VERSION, fetch: (pkg, signal) => source.fetch(pkg, signal) }, analysis: packageAnalysisWith(advisories) } });
}
