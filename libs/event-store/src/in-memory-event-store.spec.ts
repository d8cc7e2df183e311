import { registry, testContext, tokenIssued } from './__fixtures__/test-events';
import { eventStoreContract } from './event-store.contract';
import { InMemoryEventStore } from './in-memory-event-store';

describe('InMemoryEventStore', () => {
  eventStoreContract(() => new InMemoryEventStore({ registry }));

  it('stamps recordedAt from the given clock', async () => {
    const store = new InMemoryEventStore({ registry, clock: () => new Date('2031-02-03T04:05:06.007Z') });
    const { events } = await store.append('token-1', [tokenIssued('t1')], { expectedVersion: 'no_stream', context: testContext() });
    expect(events[0]!.recordedAt).toBe('2031-02-03T04:05:06.007Z');
    expect(events[0]!.globalPosition).toBe(1);
  });
});
