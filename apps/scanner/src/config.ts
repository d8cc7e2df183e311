import { type Env, type PlatformConfig, readPlatformConfig } from '@toolport/config';

/** The scanner service's configuration: the only place it reads the environment. */
export type ScannerConfig = PlatformConfig;

export const SCANNER_DEFAULT_PORT = 8083;

export function loadConfig(env: Env = process.env): ScannerConfig {
  return readPlatformConfig(env, 'scanner', SCANNER_DEFAULT_PORT);
}
