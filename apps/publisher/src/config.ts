import { type PlatformConfig, readPlatformConfig } from '@toolport/config';

/** The publisher service's configuration: the only place it reads the environment. */
export type PublisherConfig = PlatformConfig;

export const PUBLISHER_DEFAULT_PORT = 8081;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): PublisherConfig {
  return readPlatformConfig(env, 'publisher', PUBLISHER_DEFAULT_PORT);
}
