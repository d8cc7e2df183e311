import { intervalFor, scheduleOffset, schedulerDiff, slotOfJobId } from './schedule';

describe('probe schedule', () => {
  it('places each target deterministically inside the interval, spread out', () => {
    const offsets = Array.from({ length: 1000 }, (_, i) => scheduleOffset(`target-${i}`, 60_000));
    expect(offsets.every((o) => o >= 1 && o < 60_000)).toBe(true);
    expect(scheduleOffset('target-1', 60_000)).toBe(offsets[1]);
    // spread: each sixth of the interval gets a fair share
    const buckets = [0, 0, 0, 0, 0, 0];
    for (const o of offsets) buckets[Math.floor(o / 10_000)]!++;
    expect(Math.min(...buckets)).toBeGreaterThan(120);
  });

  it('backs off for down targets only', () => {
    const settings = { intervalMs: 1000, downIntervalMs: 5000 };
    expect(intervalFor('down', settings)).toBe(5000);
    for (const status of ['healthy', 'degraded', 'blocked', null] as const) expect(intervalFor(status, settings)).toBe(1000);
  });

  it('reads the slot from a scheduler job id', () => {
    expect(slotOfJobId('repeat:abc:1700000000123')).toBe(1700000000123);
    expect(slotOfJobId('42')).toBeNull();
    expect(slotOfJobId(undefined)).toBeNull();
  });

  it('upserts missing or changed schedulers and removes those of gone targets', () => {
    const diff = schedulerDiff(
      [
        { targetId: 'a', every: 1000, offset: 5 },
        { targetId: 'b', every: 5000, offset: 7 },
        { targetId: 'c', every: 1000, offset: 9 },
      ],
      [
        { key: 'a', every: 1000, offset: 5 },
        { key: 'b', every: 1000, offset: 7 },
        { key: 'z', every: 1000, offset: 1 },
      ],
    );
    expect(diff.upsert.map((d) => d.targetId)).toEqual(['b', 'c']);
    expect(diff.remove).toEqual(['z']);
  });
});
