import { resumePoint as sseResumePoint } from '@toolport/platform';

/**
 * Where a subscriber resumes: the `Last-Event-ID` header an EventSource sends on reconnecting,
 * else `?after=` (for clients that cannot set headers, and `?after=0` for everything stored);
 * null means "changes from now on". Ids are the positive integers the feed sent.
 */
export const resumePoint = (lastEventId: unknown, after: unknown): number | null => sseResumePoint(lastEventId, after, 'change');
