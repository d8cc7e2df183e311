import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@toolport/event-store';
import type { NamespacePolicy } from './compatibility';
import { evolve, initialState, NAMESPACE_POLICIES_STREAM, type NamespacePoliciesEvent } from './namespace-policies';

/**
 * Every namespace policy, read from the event store each time: the stream is short, and reading
 * it inside the request means a publish never applies a policy older than the last PUT.
 */
@Injectable()
export class NamespacePolicyReader {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Sorted by namespace pattern; pass them to policyFor() to get one server's policy. */
  async policies(): Promise<NamespacePolicy[]> {
    const events = await this.store.readStream(NAMESPACE_POLICIES_STREAM);
    // The store validated each event against NamespacePolicySet's schema on append.
    return events.reduce((state, event) => evolve(state, event as unknown as NamespacePoliciesEvent), initialState()).policies;
  }
}
