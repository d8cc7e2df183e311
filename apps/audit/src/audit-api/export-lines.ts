import { recordValues } from '../audit-log/audit-record-row';
import type { AuditRecord } from '../transparency-log';

/** CSV columns, in order; nested fields flattened, the payload as its canonical JSON text. */
export const CSV_COLUMNS = ['seq', 'eventId', 'type', 'streamId', 'actorKind', 'actorId', 'occurredAt', 'serverName', 'version', 'summary', 'payloadDigest', 'payload'] as const;

/**
 * One CSV field (RFC 4180 §2): quoted when it holds a comma, a quote, CR or LF, or starts or ends
 * with a space (which some readers trim), with quotes doubled. The text is exported exactly as
 * recorded: prefixing formula-looking cells (=, +, -, @) for spreadsheets would alter an audit
 * record, so open the file as text/CSV import rather than double-clicking it.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Records are lines ending in CRLF (RFC 4180 §2.1). */
export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`;

export function csvLine(record: AuditRecord): string {
  return `${recordValues(record).map(csvField).join(',')}\r\n`;
}

/** One JSON Lines record: the same object `GET /records/{seq}` answers. */
export function jsonLine(record: AuditRecord): string {
  return `${JSON.stringify(record)}\n`;
}
