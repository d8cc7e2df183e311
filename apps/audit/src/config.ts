import { type Env, type PlatformConfig, readPlatformConfig } from '@toolport/config';

/** The audit service's configuration: the only place it reads the environment. */
export type AuditConfig = PlatformConfig;

export const AUDIT_DEFAULT_PORT = 8085;

export function loadConfig(env: Env = process.env): AuditConfig {
  return readPlatformConfig(env, 'audit', AUDIT_DEFAULT_PORT);
}
