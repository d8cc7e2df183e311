import { ToolportError } from '@toolport/contracts';
import { lastValue as one } from '../search-api/search-query';

/**
 * Where a subscriber resumes: the `Last-Event-ID` header an EventSource sends on reconnecting,
 * else `?after=` (for clients that cannot set headers, and `?after=0` for everything stored);
 * null means "changes from now on". Ids are the positive integers the feed sent.
 */
export function resumePoint(lastEventId: unknown, after: unknown): number | null {
  const fromHeader = one(lastEventId);
  const [raw, location] = fromHeader !== undefined && fromHeader !== '' ? [fromHeader, 'header.Last-Event-ID'] : [one(after), 'query.after'];
  if (raw === undefined || raw === '') return null;
  const id = Number(raw);
  if (!/^\d{1,15}$/.test(raw) || !Number.isSafeInteger(id)) {
    throw new ToolportError('invalid', 'INVALID_CHANGE_ID', `${location} must be a change id (a non-negative integer) sent by this feed`, [
      { message: 'a non-negative integer', location, value: raw },
    ]);
  }
  return id;
}
