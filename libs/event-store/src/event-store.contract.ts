import { EventValidationError, ToolportError, UUID_V7_PATTERN } from '@toolport/contracts';
import { freshStreamId, registry, testContext, tokenIssued, tokenRevoked } from './__fixtures__/test-events';
import { type EventStore, type RecordedEvent, WrongExpectedVersionError } from './event-store';

/**
 * What every EventStore must do. Run by in-memory-event-store.spec.ts and by
 * postgres/postgres-event-store.int-spec.ts, so the twin used in unit tests cannot drift from
 * the real store. `createStore` runs before each test and may return a shared store: tests use
 * fresh stream ids and measure readAll from the current head.
 */
export function eventStoreContract(createStore: () => EventStore | Promise<EventStore>): void {
  let store: EventStore;
  beforeEach(async () => {
    store = await createStore();
  });

  async function headPosition(): Promise<number> {
    let after = 0;
    for (;;) {
      const page = await store.readAll({ after, limit: 500 });
      if (page.length === 0) return after;
      after = page[page.length - 1]!.globalPosition;
    }
  }

  async function conflictOf(promise: Promise<unknown>): Promise<WrongExpectedVersionError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    return error as WrongExpectedVersionError;
  }

  describe('append and readStream', () => {
    it('appends several events with consecutive versions and reads them back in order', async () => {
      const streamId = freshStreamId();
      const result = await store.append(streamId, [tokenIssued('t1'), tokenRevoked('t1', 'leaked')], {
        expectedVersion: 'no_stream',
        context: testContext(),
      });
      expect(result.nextExpectedVersion).toBe(2);
      expect(result.events.map((e) => e.metadata.streamVersion)).toEqual([1, 2]);
      expect(result.events[1]!.globalPosition).toBeGreaterThan(result.events[0]!.globalPosition);
      expect(result.lastGlobalPosition).toBe(result.events[1]!.globalPosition);
      expect(result.events.map((e) => e.type)).toEqual(['TokenIssued', 'TokenRevoked']);
      expect(result.events[1]!.data).toEqual(tokenRevoked('t1', 'leaked').data);

      const read = await store.readStream(streamId);
      expect(read).toEqual(result.events);

      const next = await store.append(streamId, [tokenIssued('t2')], { expectedVersion: 2, context: testContext() });
      expect(next.events[0]!.metadata.streamVersion).toBe(3);
      expect((await store.readStream(streamId)).map((e) => e.metadata.streamVersion)).toEqual([1, 2, 3]);
    });

    it('reads a stream that does not exist as empty', async () => {
      expect(await store.readStream(freshStreamId())).toEqual([]);
    });

    it('fills in valid metadata from the command context', async () => {
      const streamId = freshStreamId();
      const context = testContext();
      const { events } = await store.append(streamId, [tokenIssued('t1'), tokenRevoked('t1')], { expectedVersion: 'no_stream', context });
      for (const [index, event] of events.entries()) {
        expect(event.metadata).toEqual({
          eventId: expect.stringMatching(new RegExp(UUID_V7_PATTERN)),
          streamId,
          streamVersion: index + 1,
          occurredAt: '2030-05-06T07:08:09.123Z',
          actor: { kind: 'user', id: 'alice@example.com' },
          correlationId: context.correlationId,
          causationId: null,
          traceparent: null,
        });
        expect(registry.check(event)).toEqual([]);
        expect(new Date(event.recordedAt).toISOString()).toBe(event.recordedAt);
      }
      expect(events[0]!.metadata.eventId).not.toBe(events[1]!.metadata.eventId);
    });

    it('keeps causationId and traceparent from the context', async () => {
      const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
      const context = testContext({ causationId: 'request-42', traceparent });
      const { events } = await store.append(freshStreamId(), [tokenIssued('t1')], { expectedVersion: 'any', context });
      expect(events[0]!.metadata).toMatchObject({ causationId: 'request-42', traceparent });
    });

    it('hands out copies: changing a returned event does not change the store', async () => {
      const streamId = freshStreamId();
      const { events } = await store.append(streamId, [tokenIssued('t1')], { expectedVersion: 'no_stream', context: testContext() });
      (events[0]!.data as { subject: string }).subject = 'mallory';
      (await store.readStream(streamId))[0]!.metadata.streamVersion = 99;
      const [stored] = await store.readStream(streamId);
      expect(stored!.data).toEqual(tokenIssued('t1').data);
      expect(stored!.metadata.streamVersion).toBe(1);
    });
  });

  describe('expected version', () => {
    async function streamWith(count: number): Promise<string> {
      const streamId = freshStreamId();
      const events = Array.from({ length: count }, (_, i) => tokenIssued(`t${i}`));
      await store.append(streamId, events, { expectedVersion: 'no_stream', context: testContext() });
      return streamId;
    }

    it("'no_stream' appends to a new stream and conflicts with an existing one, reporting its version", async () => {
      const streamId = await streamWith(1);
      const error = await conflictOf(store.append(streamId, [tokenRevoked('t0')], { expectedVersion: 'no_stream', context: testContext() }));
      expect(error).toMatchObject({ streamId, expected: 'no_stream', actual: 1, code: 'WRONG_EXPECTED_VERSION' });
      expect(error).toBeInstanceOf(ToolportError);
      expect(error.kind).toBe('conflict');
      expect(await store.readStream(streamId)).toHaveLength(1);
    });

    it('0 means the same as no_stream', async () => {
      const streamId = freshStreamId();
      await store.append(streamId, [tokenIssued('t1')], { expectedVersion: 0, context: testContext() });
      const error = await conflictOf(store.append(streamId, [tokenIssued('t2')], { expectedVersion: 0, context: testContext() }));
      expect(error.actual).toBe(1);
    });

    it('a number must equal the current version: stale, ahead and missing streams conflict', async () => {
      const streamId = await streamWith(2);
      expect((await conflictOf(store.append(streamId, [tokenIssued('x')], { expectedVersion: 1, context: testContext() }))).actual).toBe(2);
      expect((await conflictOf(store.append(streamId, [tokenIssued('x')], { expectedVersion: 5, context: testContext() }))).actual).toBe(2);
      const missing = freshStreamId();
      const error = await conflictOf(store.append(missing, [tokenIssued('x')], { expectedVersion: 3, context: testContext() }));
      expect(error).toMatchObject({ streamId: missing, expected: 3, actual: 0 });
      expect(await store.readStream(missing)).toEqual([]);

      const ok = await store.append(streamId, [tokenRevoked('t1')], { expectedVersion: 2, context: testContext() });
      expect(ok.nextExpectedVersion).toBe(3);
      expect(await store.readStream(streamId)).toHaveLength(3);
    });

    it("'any' appends to new and existing streams without a check", async () => {
      const streamId = freshStreamId();
      expect((await store.append(streamId, [tokenIssued('t1')], { expectedVersion: 'any', context: testContext() })).nextExpectedVersion).toBe(1);
      const second = await store.append(streamId, [tokenRevoked('t1'), tokenIssued('t2')], { expectedVersion: 'any', context: testContext() });
      expect(second.events.map((e) => e.metadata.streamVersion)).toEqual([2, 3]);
    });

    it('rejects a malformed expected version before writing', async () => {
      const streamId = freshStreamId();
      for (const expectedVersion of [-1, 1.5, Number.NaN]) {
        await expect(store.append(streamId, [tokenIssued('t1')], { expectedVersion, context: testContext() })).rejects.toThrow(RangeError);
      }
      expect(await store.readStream(streamId)).toEqual([]);
    });

    it('an empty append only checks the expected version', async () => {
      const streamId = await streamWith(2);
      const [, last] = await store.readStream(streamId);
      const result = await store.append(streamId, [], { expectedVersion: 2, context: testContext() });
      expect(result).toEqual({ nextExpectedVersion: 2, lastGlobalPosition: last!.globalPosition, events: [] });
      expect((await conflictOf(store.append(streamId, [], { expectedVersion: 'no_stream', context: testContext() }))).actual).toBe(2);
      expect(await store.append(freshStreamId(), [], { expectedVersion: 'no_stream', context: testContext() })).toEqual({
        nextExpectedVersion: 0,
        lastGlobalPosition: 0,
        events: [],
      });
    });
  });

  describe('validation', () => {
    it('rejects an append with one invalid event and stores none of it', async () => {
      const streamId = freshStreamId();
      const before = await headPosition();
      const invalid = { type: 'TokenRevoked', data: { tokenId: '', expiresAt: 'tomorrow' } };
      const error = await store
        .append(streamId, [tokenIssued('t1'), invalid], { expectedVersion: 'no_stream', context: testContext() })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EventValidationError);
      expect((error as EventValidationError).issues.map((i) => i.path).sort()).toEqual(['data.expiresAt', 'data.tokenId']);
      expect(await store.readStream(streamId)).toEqual([]);
      expect(await headPosition()).toBe(before);
    });

    it('rejects unknown event types, invalid metadata and an empty stream id', async () => {
      const before = await headPosition();
      const append = (streamId: string, events: { type: string; data: unknown }[], context = testContext()) =>
        store.append(streamId, events, { expectedVersion: 'any', context });
      await expect(append(freshStreamId(), [{ type: 'TokenStolen', data: {} }])).rejects.toThrow(EventValidationError);
      await expect(append(freshStreamId(), [tokenIssued('t1')], testContext({ traceparent: 'not-a-traceparent' }))).rejects.toMatchObject({
        issues: expect.arrayContaining([expect.objectContaining({ path: 'metadata.traceparent' })]),
      });
      await expect(append(freshStreamId(), [tokenIssued('t1')], testContext({ correlationId: '' }))).rejects.toThrow(EventValidationError);
      await expect(append(freshStreamId(), [tokenIssued('t1')], testContext({ now: new Date('nonsense') }))).rejects.toThrow(EventValidationError);
      await expect(append('', [tokenIssued('t1')])).rejects.toThrow(EventValidationError);
      expect(await headPosition()).toBe(before);
    });
  });

  describe('readAll', () => {
    it('returns every stream in global order, paged by after and limit', async () => {
      const start = await headPosition();
      const [a, b, c] = [freshStreamId('a'), freshStreamId('b'), freshStreamId('c')];
      const appended: RecordedEvent[] = [];
      for (const [streamId, events] of [
        [a, [tokenIssued('a1')]],
        [b, [tokenIssued('b1'), tokenRevoked('b1')]],
        [a, [tokenRevoked('a1')]],
        [c, [tokenIssued('c1')]],
      ] as const) {
        appended.push(...(await store.append(streamId, events, { expectedVersion: 'any', context: testContext() })).events);
      }

      const all = await store.readAll({ after: start, limit: 100 });
      expect(all).toEqual(appended);
      const positions = all.map((e) => e.globalPosition);
      expect(positions).toEqual([...positions].sort((x, y) => x - y));
      expect(new Set(positions).size).toBe(positions.length);

      const paged: RecordedEvent[] = [];
      for (let after = start; ; ) {
        const page = await store.readAll({ after, limit: 2 });
        expect(page.length).toBeLessThanOrEqual(2);
        if (page.length === 0) break;
        paged.push(...page);
        after = page[page.length - 1]!.globalPosition;
      }
      expect(paged).toEqual(appended);
      expect(await store.readAll({ after: positions[2]!, limit: 1 })).toEqual([appended[3]]);
      expect(await store.readAll({ after: positions[positions.length - 1]!, limit: 10 })).toEqual([]);
    });

    it('rejects a malformed after or limit', async () => {
      await expect(store.readAll({ after: -1, limit: 10 })).rejects.toThrow(RangeError);
      await expect(store.readAll({ after: 0, limit: 0 })).rejects.toThrow(RangeError);
      await expect(store.readAll({ after: 0.5, limit: 10 })).rejects.toThrow(RangeError);
    });
  });
}
