import { Inject, Injectable } from '@nestjs/common';
import { applyTokenRevoked } from '@toolport/auth';
import type { EventOf, TokenRevoked } from '@toolport/contracts';
import { type ConsumedEvent, type ProjectionHandler, ProjectionConsumer } from '@toolport/messaging';
import type { PoolClient } from 'pg';
import { SERVICE_RUNTIME } from './platform.module';
import type { ServiceRuntime } from './service-runtime';

/**
 * Every service runs `<service>-token-revocations`: the publisher's `TokenRevoked` events
 * projected into the service's own `revoked_tokens`, so a revoked token stops working
 * everywhere without any service reading another's tables.
 */
@ProjectionConsumer('token-revocations')
@Injectable()
export class TokenRevocationsConsumer implements ProjectionHandler {
  constructor(@Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime) {}

  async handle(event: ConsumedEvent, tx: PoolClient): Promise<void> {
    if (event.type !== 'TokenRevoked') return;
    await applyTokenRevoked(tx, this.runtime.schema, event as EventOf<typeof TokenRevoked>);
  }
}
