export { createArtifactSource, fetchArtifact, type ServerJsonPackage } from './fetch-artifact';
export { type ArtifactFetchDeps } from './artifact-download';
export { unpackArchiveFile, readPackageDirectory, type LocalArchiveOptions } from './local-archive';
export { ArtifactFetchError } from './archive-errors';
export { readArtifactConfig, createArtifactHttpFetcher, type ArtifactConfig, DEFAULT_SCANNER_NPM_REGISTRY, DEFAULT_SCANNER_PYPI_URL } from './artifact-config';
export { DEFAULT_UNPACK_LIMITS, unpackLimits, type UnpackLimits } from './unpack-limits';
export { ARTIFACT_RULES, ARTIFACT_RULES_VERSION } from './artifact-rules';
export type { ArtifactEcosystem, FetchedArtifact, PackageContents, PackageFile } from './package-contents';
