import { AuthenticationFailureBurstDetected, type ServiceName, uuidv7 } from '@toolport/contracts';
import type { EventStore } from '@toolport/event-store';
import { currentTraceparent } from '@toolport/observability';
import { type BurstDetection, burstActor, burstData, burstStreamId, failureOf } from './auth-failure';
import type { FailureWindow } from './failure-window';

export interface AuthFailureMonitorOptions {
  /** The service that observes the failures and owns the events (its own store, its own stream). */
  service: ServiceName;
  window: FailureWindow;
  /** The service's own event store. */
  store: EventStore;
  detection: BurstDetection;
  clock?: () => Date;
  /** Where a failure to count or to append is reported; the 401 goes out regardless. */
  onError?: (error: unknown) => void;
}

/** What the guard knows of a refused request. `token` is only decoded for its claims, never kept. */
export interface RefusedRequest {
  ip: string | undefined;
  token: string | null;
  error: unknown;
}

/**
 * Turns refused authentications into `AuthenticationFailureBurstDetected` events in the
 * observing service's own event store (its relay publishes them to its own stream, the audit
 * service records them). Counting and appending never change the answer: whatever fails here
 * is reported and the request is refused as it would have been.
 */
export class AuthFailureMonitor {
  private readonly clock: () => Date;

  constructor(private readonly options: AuthFailureMonitorOptions) {
    this.clock = options.clock ?? (() => new Date());
  }

  async observe(request: RefusedRequest): Promise<void> {
    try {
      const now = this.clock();
      const failure = failureOf(request.error, request.token, now.getTime());
      if (failure === null) return;
      const ip = request.ip && request.ip.length <= 100 ? request.ip : 'unknown';
      const failures = await this.options.window.record(`ip:${ip}`, failure);
      if (failures === null) return;
      await this.options.store.append(
        burstStreamId(ip),
        [{ type: AuthenticationFailureBurstDetected.type, data: burstData(this.options.service, ip, failures, this.options.detection, now.getTime()) }],
        {
          // One stream per source; the window's marker already makes the burst single, across replicas.
          expectedVersion: 'any',
          context: { actor: burstActor(ip, failures), correlationId: uuidv7(now.getTime()), causationId: null, traceparent: currentTraceparent(), now },
        },
      );
    } catch (error) {
      this.options.onError?.(error);
    }
  }
}
