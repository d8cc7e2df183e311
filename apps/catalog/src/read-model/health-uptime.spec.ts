import type { HealthStatus } from '@toolport/contracts';
import { accrue, type RemoteUptime, remoteUptime, startAccount, versionUptime } from './health-uptime';

const MINUTE = 60_000;
const at = (minute: number): string => new Date(Date.UTC(2025, 5, 1, 10, minute)).toISOString();
const now = (minute: number): Date => new Date(at(minute));
const remote = (status: HealthStatus, lastChangeMinute: number, account: { since?: number; upMinutes?: number; knownMinutes?: number } = {}): RemoteUptime => ({
  status,
  checkedAt: at(lastChangeMinute),
  observedSince: at(account.since ?? 0),
  upMs: (account.upMinutes ?? 0) * MINUTE,
  knownMs: (account.knownMinutes ?? 0) * MINUTE,
});

describe('accrue', () => {
  it('adds time in healthy or degraded to both sides, in down or blocked to the known side only, in unprobeable to neither', () => {
    const start = startAccount(at(0));
    expect(accrue(start, 'healthy', 3)).toEqual({ observedSince: at(0), upMs: 3, knownMs: 3 });
    expect(accrue(start, 'degraded', 3)).toEqual({ observedSince: at(0), upMs: 3, knownMs: 3 });
    expect(accrue(start, 'down', 3)).toEqual({ observedSince: at(0), upMs: 0, knownMs: 3 });
    expect(accrue(start, 'blocked', 3)).toEqual({ observedSince: at(0), upMs: 0, knownMs: 3 });
    expect(accrue(start, 'unprobeable', 3)).toEqual(start);
  });

  it('adds nothing for a clock running backwards', () => {
    expect(accrue(startAccount(at(0)), 'healthy', -5)).toEqual(startAccount(at(0)));
  });
});

describe('remoteUptime', () => {
  it('adds the time since the last change in the current status: up 10 of 15 minutes, then down 5 more', () => {
    expect(remoteUptime(remote('down', 15, { upMinutes: 10, knownMinutes: 15 }), now(20))).toEqual({ ratio: 0.5, since: at(0) });
    expect(remoteUptime(remote('healthy', 15, { upMinutes: 10, knownMinutes: 15 }), now(25))).toEqual({ ratio: 0.8, since: at(0) });
  });

  it('rounds the ratio to 4 places, as the health service does', () => {
    expect(remoteUptime(remote('down', 3, { upMinutes: 2, knownMinutes: 3 }), now(3))).toEqual({ ratio: 0.6667, since: at(0) });
  });

  it('is the current status while no known time has passed (a first change just now, or a clock behind the event)', () => {
    expect(remoteUptime(remote('healthy', 10, { since: 10 }), now(10))).toEqual({ ratio: 1, since: at(10) });
    expect(remoteUptime(remote('down', 10, { since: 10 }), now(5))).toEqual({ ratio: 0, since: at(10) });
  });

  it('leaves time unprobeable out, and is null for a remote that was never anything else', () => {
    expect(remoteUptime(remote('unprobeable', 10, { upMinutes: 8, knownMinutes: 10 }), now(600))).toEqual({ ratio: 0.8, since: at(0) });
    expect(remoteUptime(remote('unprobeable', 0), now(600))).toBeNull();
  });
});

describe('versionUptime', () => {
  it('is the least available remote’s, with that remote’s since', () => {
    const steady = remote('healthy', 0);
    const flaky = remote('healthy', 30, { since: 10, upMinutes: 10, knownMinutes: 20 });
    expect(versionUptime([steady, flaky], now(40))).toEqual({ ratio: 0.6667, since: at(10) });
  });

  it('takes the earlier since on a tie', () => {
    expect(versionUptime([remote('healthy', 20, { since: 20 }), remote('healthy', 0)], now(30))).toEqual({ ratio: 1, since: at(0) });
  });

  it('skips remotes without an uptime, and is null without any', () => {
    expect(versionUptime([remote('unprobeable', 0), remote('degraded', 5, { since: 5 })], now(10))).toEqual({ ratio: 1, since: at(5) });
    expect(versionUptime([remote('unprobeable', 0)], now(10))).toBeNull();
    expect(versionUptime([], now(10))).toBeNull();
  });
});
