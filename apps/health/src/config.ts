import { type Env, type PlatformConfig, readPlatformConfig } from '@toolport/config';

/** The health service's configuration: the only place it reads the environment. */
export type HealthConfig = PlatformConfig;

export const HEALTH_DEFAULT_PORT = 8084;

export function loadConfig(env: Env = process.env): HealthConfig {
  return readPlatformConfig(env, 'health', HEALTH_DEFAULT_PORT);
}
