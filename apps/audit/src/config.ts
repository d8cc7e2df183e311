import { type Env, EnvReader, type PlatformConfig, readPlatformConfig } from '@toolport/config';
import { type AuditLogOptions, parseAuditLogConfig } from './audit-log/audit-log.config';

/** The audit service's configuration: the only place it reads the environment. */
export interface AuditConfig extends PlatformConfig {
  auditLog: AuditLogOptions;
}

export const AUDIT_DEFAULT_PORT = 8085;

export function loadConfig(env: Env = process.env): AuditConfig {
  const platform = readPlatformConfig(env, 'audit', AUDIT_DEFAULT_PORT);
  const read = new EnvReader(env);
  const auditLog = parseAuditLogConfig(read);
  read.done();
  return { ...platform, auditLog };
}
