import { type DynamicModule, Module } from '@nestjs/common';
import { type ServiceRuntime, serviceModule } from '@toolport/platform';
import { auditLogMigrations } from './audit-log/audit-log.migrations';
import { AuditLogModule } from './audit-log/audit-log.module';
import type { AuditConfig } from './config';

/** Owns the tamper-evident audit log of every event. */
@Module({})
export class AuditModule {}

export const auditMigrations = auditLogMigrations;

export function auditAppModule(runtime: ServiceRuntime, config: AuditConfig): DynamicModule {
  // relay: the audit appends TreeHeadSigned to its own event store; the relay publishes them on
  // the audit stream so that others hold copies of every signed head.
  return serviceModule(AuditModule, runtime, { relay: true, imports: [AuditLogModule.forRoot(config.auditLog)] });
}
