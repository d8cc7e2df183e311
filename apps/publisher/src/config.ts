import { type Env, EnvReader, type PlatformConfig, readPlatformConfig } from '@toolport/config';
import { type AuthExchangeOptions, parseAuthExchangeConfig } from './auth-exchange/auth-exchange.config';
import { type PackageVerificationOptions, parsePackageVerificationConfig } from './package-verification/package-verification.config';
import type { RegistryInfo } from './registry-info/registry-info.controller';

/** The publisher service's configuration: the only place it reads the environment. */
export interface PublisherConfig extends PlatformConfig {
  authExchange: AuthExchangeOptions;
  packageVerification: PackageVerificationOptions;
  registryInfo: RegistryInfo;
  /** TOOLPORT_ALLOW_LOCAL_REMOTES (default false; development and tests only, warned about at start): remotes may be http:// and loopback. */
  allowLocalRemotes: boolean;
}

export const PUBLISHER_DEFAULT_PORT = 8081;

export function loadConfig(env: Env = process.env): PublisherConfig {
  const platform = readPlatformConfig(env, 'publisher', PUBLISHER_DEFAULT_PORT);
  const read = new EnvReader(env);
  const authExchange = parseAuthExchangeConfig(read);
  const packageVerification = parsePackageVerificationConfig(read);
  const registryInfo: RegistryInfo = {
    version: platform.version,
    gitCommit: read.string('TOOLPORT_GIT_COMMIT', 'unknown'),
    buildTime: read.string('TOOLPORT_BUILD_TIME', 'unknown'),
    githubClientId: read.optional('TOOLPORT_GITHUB_CLIENT_ID'),
  };
  const allowLocalRemotes = read.bool('TOOLPORT_ALLOW_LOCAL_REMOTES', false);
  read.done();
  return { ...platform, authExchange, packageVerification, registryInfo, allowLocalRemotes };
}
