import type { AdvisoryDatabase } from '../package-analyzers';
import { analyzePackage, packageRulesVersionWith } from '../package-analyzers';
import type { ArtifactSource, PackageAnalysis } from './scan-engine';
import { ARTIFACT_RULES_VERSION } from '../artifacts';
import type { FetchedArtifact } from '../artifacts';
import type { Package } from '@toolport/contracts';

/** The package analyzers as the engine's PackageAnalysis seam, over one loaded advisory database. */
export function packageAnalysisWith(advisories: AdvisoryDatabase): PackageAnalysis {
  return {
    rulesVersion: packageRulesVersionWith(advisories),
    analyze: (contents, declaredTools) => analyzePackage(contents, { declaredTools, advisories }),
  };
}

/**
 * An ArtifactSource whose bytes are already on this machine (the evaluation CLI, the real-world
 * check's cache): the same unpacking checks as a download, keyed by the package's identifier.
 */
export function localArtifactSource(load: (pkg: Package) => Promise<FetchedArtifact>): ArtifactSource {
  return { rulesVersion: ARTIFACT_RULES_VERSION, fetch: (pkg) => load(pkg) };
}
