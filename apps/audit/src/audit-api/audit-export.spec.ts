import type { AuditRecord } from '../transparency-log';
import type { RecordFilter } from '../audit-log/record-filter';
import { EXPORT_PAGE_SIZE, exportChunks } from './audit-export';

const records = (count: number): AuditRecord[] =>
  Array.from({ length: count }, (_, i) => ({
    seq: i + 1,
    eventId: `e${i + 1}`,
    type: i % 2 === 0 ? 'TokenIssued' : 'TokenRevoked',
    streamId: 's',
    actor: { kind: 'token', id: 'ci-bot' },
    occurredAt: '2025-01-01T00:00:00.000Z',
    subject: null,
    summary: 'x',
    payloadDigest: 'ab'.repeat(32),
    payload: { i },
  }));

/** A store answering keyset pages, recording what it was asked. */
function pagedStore(all: AuditRecord[]) {
  const calls: Array<{ after: number; upTo: number; limit: number }> = [];
  return {
    calls,
    page: async (filter: RecordFilter, after: number, upTo: number, limit: number) => {
      calls.push({ after, upTo, limit });
      return all.filter((r) => r.seq > after && r.seq <= upTo && (filter.type === undefined || r.type === filter.type)).slice(0, limit);
    },
  };
}

const collect = async (chunks: AsyncIterable<string>) => {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
};

describe('exportChunks', () => {
  it('reads the log in keyset pages up to the size it had when the export began', async () => {
    const store = pagedStore(records(EXPORT_PAGE_SIZE * 2 + 3));
    const text = await collect(exportChunks(store, { filter: {}, after: 0, format: 'jsonl' }, EXPORT_PAGE_SIZE * 2 + 1));
    const seqs = text.trimEnd().split('\n').map((line) => (JSON.parse(line) as AuditRecord).seq);
    expect(seqs).toEqual(Array.from({ length: EXPORT_PAGE_SIZE * 2 + 1 }, (_, i) => i + 1));
    expect(store.calls.map((c) => c.after)).toEqual([0, EXPORT_PAGE_SIZE, EXPORT_PAGE_SIZE * 2]);
    expect(store.calls.every((c) => c.limit === EXPORT_PAGE_SIZE && c.upTo === EXPORT_PAGE_SIZE * 2 + 1)).toBe(true);
  });

  it('writes the CSV header even when nothing matches, and resumes after a cursor', async () => {
    expect(await collect(exportChunks(pagedStore([]), { filter: {}, after: 0, format: 'csv' }, 0))).toBe(
      'seq,eventId,type,streamId,actorKind,actorId,occurredAt,serverName,version,summary,payloadDigest,payload\r\n',
    );
    const text = await collect(exportChunks(pagedStore(records(10)), { filter: { type: 'TokenRevoked' }, after: 4, format: 'csv' }, 10));
    expect(text.split('\r\n').slice(1, -1).map((line) => line.split(',')[0])).toEqual(['6', '8', '10']);
  });

  it('stops reading when the consumer stops', async () => {
    const store = pagedStore(records(EXPORT_PAGE_SIZE * 5));
    const chunks = exportChunks(store, { filter: {}, after: 0, format: 'jsonl' }, EXPORT_PAGE_SIZE * 5);
    await chunks.next();
    await chunks.return(undefined);
    expect(store.calls).toHaveLength(1);
  });
});
