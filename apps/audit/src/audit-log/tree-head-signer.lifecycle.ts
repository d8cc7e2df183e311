import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PostgresEventStore } from '@toolport/event-store';
import { createLogger } from '@toolport/observability';
import { SERVICE_RUNTIME, type ServiceRuntime } from '@toolport/platform';
import { AuditKeyring } from './audit-keyring';
import type { AuditLogOptions } from './audit-log.config';
import { AuditRecordStore } from './audit-record-store';
import { TreeHeadSigner } from './tree-head-signer';
import { TreeHeadStore } from './tree-head-store';

export const AUDIT_LOG_OPTIONS = Symbol.for('toolport.AuditLogOptions');

/**
 * Runs the TreeHeadSigner for the service's life: started (tree rebuilt from the stored leaves)
 * at bootstrap, stopped before shutdown closes the pool it writes to.
 */
@Injectable()
export class TreeHeadSigning implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly signer: TreeHeadSigner;

  constructor(
    @Inject(SERVICE_RUNTIME) runtime: ServiceRuntime,
    @Inject(AUDIT_LOG_OPTIONS) options: AuditLogOptions,
    @Inject(AuditRecordStore) records: AuditRecordStore,
    @Inject(TreeHeadStore) heads: TreeHeadStore,
    @Inject(AuditKeyring) keyring: AuditKeyring,
  ) {
    const logger = createLogger({ service: runtime.config.service, level: runtime.config.logLevel });
    this.signer = new TreeHeadSigner({
      pool: runtime.pool,
      schema: runtime.schema,
      records,
      heads,
      events: new PostgresEventStore({ pool: runtime.pool, schema: runtime.schema, registry: runtime.events }),
      key: keyring.current,
      policy: options.treeHeads,
      logger,
    });
    logger.info(
      { keyId: keyring.current.keyId, publicKey: keyring.current.publicKeyBase64, configured: keyring.current.configured },
      'audit log signs tree heads with this Ed25519 key (pass the public key to the verifier)',
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.signer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.signer.stop();
  }
}
