import { type DynamicModule, Module } from '@nestjs/common';
import { createLogger } from '@toolport/observability';
import { SERVICE_RUNTIME, type ServiceRuntime } from '@toolport/platform';
import { AuditExportController } from '../audit-api/audit-export.controller';
import { AuditHeadsController } from '../audit-api/audit-heads.controller';
import { AuditRecordsController } from '../audit-api/audit-records.controller';
import { AuditIngest } from './audit-ingest';
import {
  AuditConsumerActionsAuditConsumer,
  AuditEventsAuditConsumer,
  CatalogEventsAuditConsumer,
  HealthEventsAuditConsumer,
  PublisherEventsAuditConsumer,
  ScannerEventsAuditConsumer,
} from './audit-ingest.consumers';
import { AuditKeyring } from './audit-keyring';
import type { AuditLogOptions } from './audit-log.config';
import { AuditProofs } from './audit-proofs';
import { AuditRecordStore } from './audit-record-store';
import { AUDIT_LOG_OPTIONS, TreeHeadSigning } from './tree-head-signer.lifecycle';
import { TreeHeadStore } from './tree-head-store';

/** The audit log: ingest from every stream, signed tree heads, and the query/proof/verify/export API. */
@Module({})
export class AuditLogModule {
  static forRoot(options: AuditLogOptions): DynamicModule {
    return {
      module: AuditLogModule,
      controllers: [AuditRecordsController, AuditHeadsController, AuditExportController],
      providers: [
        { provide: AUDIT_LOG_OPTIONS, useValue: options },
        { provide: AuditRecordStore, inject: [SERVICE_RUNTIME], useFactory: (runtime: ServiceRuntime) => new AuditRecordStore(runtime.pool, runtime.schema) },
        { provide: TreeHeadStore, inject: [SERVICE_RUNTIME], useFactory: (runtime: ServiceRuntime) => new TreeHeadStore(runtime.pool, runtime.schema) },
        { provide: AuditProofs, inject: [AuditRecordStore], useFactory: (records: AuditRecordStore) => new AuditProofs(records) },
        {
          provide: AuditKeyring,
          inject: [SERVICE_RUNTIME],
          useFactory: (runtime: ServiceRuntime) => AuditKeyring.load(runtime.pool, runtime.schema, options.signingKeySeedHex),
        },
        {
          provide: AuditIngest,
          inject: [SERVICE_RUNTIME, AuditRecordStore],
          useFactory: (runtime: ServiceRuntime, records: AuditRecordStore) =>
            new AuditIngest(records, createLogger({ service: runtime.config.service, level: runtime.config.logLevel })),
        },
        TreeHeadSigning,
        PublisherEventsAuditConsumer,
        ScannerEventsAuditConsumer,
        HealthEventsAuditConsumer,
        CatalogEventsAuditConsumer,
        AuditEventsAuditConsumer,
        AuditConsumerActionsAuditConsumer,
      ],
      exports: [AuditRecordStore, TreeHeadSigning],
    };
  }
}
