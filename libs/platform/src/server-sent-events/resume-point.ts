import { ToolportError } from '@toolport/contracts';

/** The last of a repeated value; undefined when absent or not text (as the catalog's query parsing). */
const article = (noun: string): string => (/^[aeiou]/i.test(noun) ? 'an' : 'a');

const one = (value: unknown): string | undefined => (Array.isArray(value) ? (value.at(-1) as string | undefined) : typeof value === 'string' ? value : undefined);

/**
 * Where an SSE subscriber resumes: the `Last-Event-ID` header an EventSource sends on
 * reconnecting, else `?after=` (for clients that cannot set headers; `?after=0` for everything
 * stored); null means "from now on". Ids are the positive integers the feed sent.
 */
export function resumePoint(lastEventId: unknown, after: unknown, noun = 'event'): number | null {
  const fromHeader = one(lastEventId);
  const [raw, location] = fromHeader !== undefined && fromHeader !== '' ? [fromHeader, 'header.Last-Event-ID'] : [one(after), 'query.after'];
  if (raw === undefined || raw === '') return null;
  const id = Number(raw);
  if (!/^\d{1,15}$/.test(raw) || !Number.isSafeInteger(id)) {
    throw new ToolportError('invalid', 'INVALID_CHANGE_ID', `${location} must be ${article(noun)} ${noun} id (a non-negative integer) sent by this feed`, [
      { message: 'a non-negative integer', location, value: raw },
    ]);
  }
  return id;
}
