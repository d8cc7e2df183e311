import { Readable } from 'node:stream';
import type { AuditRecordStore } from '../audit-log/audit-record-store';
import type { ExportQuery } from './audit-query';
import { CSV_HEADER, csvLine, jsonLine } from './export-lines';

/** Records per keyset page: one page is all the export holds of the log at a time. */
export const EXPORT_PAGE_SIZE = 250;
/**
 * Output is handed to the response in chunks of about this size rather than a page at a time: a
 * chunk written to a socket that cannot take it yet is queued whole, so smaller chunks keep the
 * memory a paused client costs small (measured in audit-ingest.int-spec.ts).
 */
export const EXPORT_CHUNK_BYTES = 64 * 1024;

export const EXPORT_CONTENT_TYPES = { jsonl: 'application/jsonl; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

/**
 * The export as text chunks, read by keyset pages (`seq > last ORDER BY seq LIMIT n`), each page
 * read in its own short transaction, so memory stays at one page and no connection is held while
 * a slow client reads. Bounded by the log's size when the export began (`upTo`): records appended
 * meanwhile belong to the next export, and the export always ends.
 */
export async function* exportChunks(records: Pick<AuditRecordStore, 'page'>, query: ExportQuery, upTo: number): AsyncGenerator<string> {
  const line = query.format === 'csv' ? csvLine : jsonLine;
  if (query.format === 'csv') yield CSV_HEADER;
  let after = query.after;
  for (;;) {
    const page = await records.page(query.filter, after, upTo, EXPORT_PAGE_SIZE);
    if (page.length === 0) return;
    let chunk = '';
    for (const record of page) {
      chunk += line(record);
      if (chunk.length >= EXPORT_CHUNK_BYTES) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk !== '') yield chunk;
    if (page.length < EXPORT_PAGE_SIZE) return;
    after = page[page.length - 1]!.seq;
  }
}

/**
 * A byte stream of the export. Readable.from pulls the next page only when the consumer (the HTTP
 * response, through its backpressure) wants more, and stops the generator if the client goes away.
 */
export function exportStream(records: Pick<AuditRecordStore, 'page'>, query: ExportQuery, upTo: number): Readable {
  return Readable.from(exportChunks(records, query, upTo), { objectMode: false });
}
