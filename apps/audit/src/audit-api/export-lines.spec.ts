import type { AuditRecord } from '../transparency-log';
import { CSV_HEADER, csvField, csvLine, jsonLine } from './export-lines';

const record: AuditRecord = {
  seq: 7,
  eventId: '0199b6c0-0000-7000-8000-000000000007',
  type: 'VersionApproved',
  streamId: 'review-io.x/y',
  actor: { kind: 'user', id: 'alice' },
  occurredAt: '2025-03-01T10:00:00.000Z',
  subject: { serverName: 'io.x/y', version: '1.2.0' },
  summary: 'alice approved io.x/y 1.2.0: "fine", really\nfine',
  payloadDigest: 'ab'.repeat(32),
  payload: { b: 1, a: 'x' },
};

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    [' padded', '" padded"'],
    ['padded ', '"padded "'],
    ['=SUM(A1)', '=SUM(A1)'],
    ['', ''],
  ])('%j -> %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('writes null as an empty field and numbers as digits', () => {
    expect(csvField(null)).toBe('');
    expect(csvField(42)).toBe('42');
  });
});

describe('export lines', () => {
  it('writes a CSV line per record with CRLF, flattening actor and subject, payload as canonical JSON', () => {
    expect(CSV_HEADER).toBe('seq,eventId,type,streamId,actorKind,actorId,occurredAt,serverName,version,summary,payloadDigest,payload\r\n');
    expect(csvLine(record)).toBe(
      `7,${record.eventId},VersionApproved,review-io.x/y,user,alice,2025-03-01T10:00:00.000Z,io.x/y,1.2.0,"alice approved io.x/y 1.2.0: ""fine"", really\nfine",${'ab'.repeat(32)},"{""a"":""x"",""b"":1}"\r\n`,
    );
    expect(csvLine({ ...record, subject: null })).toContain(',user,alice,2025-03-01T10:00:00.000Z,,,');
  });

  it('writes one JSON line per record, the same object the records API answers', () => {
    const line = jsonLine(record);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(record);
  });
});
