import { registry, testContext, tokenIssued, tokenRevoked } from './__fixtures__/test-events';
import { type TokenCommand, tokenDecider, TokenNotIssued } from './__fixtures__/token.decide';
import { type EventStore, WrongExpectedVersionError } from './event-store';
import { handle } from './handle';
import { InMemoryEventStore } from './in-memory-event-store';

const issue: TokenCommand = { type: 'IssueToken', tokenId: 't1', subject: 'ci-robot' };
const revoke: TokenCommand = { type: 'RevokeToken', tokenId: 't1', reason: 'leaked' };

/** Wraps a store so that another writer appends to the stream just before each of the first `races` appends. */
function withCompetingWriter(inner: EventStore, races: number, competitor: (streamId: string) => Promise<unknown>) {
  const calls = { append: 0 };
  const store: EventStore = {
    readStream: (streamId) => inner.readStream(streamId),
    readAll: (options) => inner.readAll(options),
    append: async (streamId, events, options) => {
      calls.append += 1;
      if (calls.append <= races) await competitor(streamId);
      return inner.append(streamId, events, options);
    },
  };
  return { store, calls };
}

describe('handle', () => {
  let inner: InMemoryEventStore;
  beforeEach(() => {
    inner = new InMemoryEventStore({ registry });
  });

  it('appends what decide returns to a new stream, with the context as metadata', async () => {
    const context = testContext({ causationId: 'http-request-1' });
    const result = await handle(inner, 'token-t1', tokenDecider, issue, context);
    expect(result.state).toEqual({ status: 'issued', tokenId: 't1' });
    expect(result.nextExpectedVersion).toBe(1);
    expect(result.events).toHaveLength(1);
    expect(result.events[0]).toMatchObject({ type: 'TokenIssued', data: tokenIssued('t1').data });
    expect(result.events[0]!.metadata).toMatchObject({ correlationId: context.correlationId, causationId: 'http-request-1' });
    expect(await inner.readStream('token-t1')).toEqual(result.events);
  });

  it('folds the stored history before deciding and appends after its version', async () => {
    await inner.append('token-t1', [tokenIssued('t1')], { expectedVersion: 'no_stream', context: testContext() });
    const result = await handle(inner, 'token-t1', tokenDecider, revoke, testContext());
    expect(result.state).toEqual({ status: 'revoked', tokenId: 't1' });
    expect(result.nextExpectedVersion).toBe(2);
    expect(result.events.map((e) => [e.type, e.metadata.streamVersion])).toEqual([['TokenRevoked', 2]]);
  });

  it('appends nothing when decide returns no events', async () => {
    await inner.append('token-t1', [tokenIssued('t1')], { expectedVersion: 'no_stream', context: testContext() });
    const { store, calls } = withCompetingWriter(inner, 0, async () => undefined);
    const result = await handle(store, 'token-t1', tokenDecider, issue, testContext());
    expect(result).toEqual({ state: { status: 'issued', tokenId: 't1' }, events: [], nextExpectedVersion: 1 });
    expect(calls.append).toBe(0);
    expect(await inner.readAll({ after: 0, limit: 10 })).toHaveLength(1);
  });

  it('lets a decide error through and appends nothing', async () => {
    await expect(handle(inner, 'token-t1', tokenDecider, revoke, testContext())).rejects.toThrow(TokenNotIssued);
    expect(await inner.readAll({ after: 0, limit: 10 })).toEqual([]);
  });

  it('surfaces a conflict when no retry is allowed', async () => {
    const { store } = withCompetingWriter(inner, 1, (streamId) =>
      inner.append(streamId, [tokenIssued('t1', 'someone-else')], { expectedVersion: 'any', context: testContext() }),
    );
    const error = await handle(store, 'token-t1', tokenDecider, issue, testContext()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongExpectedVersionError);
    expect(error).toMatchObject({ expected: 'no_stream', actual: 1 });
    expect((await inner.readStream('token-t1')).map((e) => (e.data as { subject: string }).subject)).toEqual(['someone-else']);
  });

  it('on conflict reloads and decides again on the new state', async () => {
    await inner.append('token-t1', [tokenIssued('t1')], { expectedVersion: 'no_stream', context: testContext() });
    // Someone else revokes first: after reloading, revoking again is a no-op.
    const { store, calls } = withCompetingWriter(inner, 1, (streamId) =>
      inner.append(streamId, [tokenRevoked('t1', 'by admin')], { expectedVersion: 1, context: testContext() }),
    );
    const result = await handle(store, 'token-t1', tokenDecider, revoke, testContext(), { retryOnConflict: 1 });
    expect(result).toEqual({ state: { status: 'revoked', tokenId: 't1' }, events: [], nextExpectedVersion: 2 });
    expect(calls.append).toBe(1);
    expect((await inner.readStream('token-t1')).map((e) => e.data)).toEqual([tokenIssued('t1').data, tokenRevoked('t1', 'by admin').data]);
  });

  describe('with a decider that always decides to revoke', () => {
    const alwaysRevoke = { ...tokenDecider, decide: () => [tokenRevoked('t1', 'again')] };
    const competitor = (streamId: string) =>
      inner.append(streamId, [tokenRevoked('t1', 'competitor')], { expectedVersion: 'any', context: testContext() });
    beforeEach(async () => {
      await inner.append('token-t1', [tokenIssued('t1')], { expectedVersion: 'no_stream', context: testContext() });
    });

    it('succeeds on the last allowed retry', async () => {
      const { store, calls } = withCompetingWriter(inner, 2, competitor);
      const result = await handle(store, 'token-t1', alwaysRevoke, revoke, testContext(), { retryOnConflict: 2 });
      expect(calls.append).toBe(3);
      expect(result.nextExpectedVersion).toBe(4);
      expect(result.events.map((e) => e.metadata.streamVersion)).toEqual([4]);
    });

    it('gives up with the conflict after retryOnConflict retries', async () => {
      const { store, calls } = withCompetingWriter(inner, Number.POSITIVE_INFINITY, competitor);
      const error = await handle(store, 'token-t1', alwaysRevoke, revoke, testContext(), { retryOnConflict: 2 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toMatchObject({ expected: 3, actual: 4 });
      expect(calls.append).toBe(3);
    });
  });

  it('rejects a malformed retryOnConflict', async () => {
    await expect(handle(inner, 'token-t1', tokenDecider, issue, testContext(), { retryOnConflict: -1 })).rejects.toThrow(RangeError);
  });
});

describe('handle with a custom append', () => {
  it('appends through the given function, and retries its conflicts like the store', async () => {
    const store = new InMemoryEventStore({ registry });
    const context = { actor: { kind: 'service' as const, id: 'test' }, correlationId: 'c', now: new Date('2026-01-01T00:00:00Z') };
    const decider = {
      initialState: () => 0,
      evolve: (count: number) => count + 1,
      decide: (_: null, count: number) => [{ type: 'TokenRevoked', data: { tokenId: `t${count}`, expiresAt: '2030-01-01T00:00:00.000Z' } }],
    };
    let calls = 0;
    const result = await handle(store, 's', decider, null, context, {
      retryOnConflict: 1,
      append: async (streamId, events, options) => {
        calls++;
        if (calls === 1) await store.append(streamId, events, options); // a concurrent writer wins the first attempt
        return store.append(streamId, events, options);
      },
    });
    expect(calls).toBe(2);
    expect(result.nextExpectedVersion).toBe(2);
    expect((await store.readStream('s')).map((e: { data: unknown }) => (e.data as { tokenId: string }).tokenId)).toEqual(['t0', 't1']);
  });
});
