import { ToolportError } from '@toolport/contracts';
import { DeciderSpecification } from '@toolport/event-store';
import type { ServerEvent } from './server';
import { type PublishVersion, serverDecider, type ServerCommand } from './server.decide';

const NAME = 'io.github.acme/weather';
const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const spec = DeciderSpecification.for(serverDecider);

const publish = (version: string, now = T0, tools: PublishVersion['tools'] = []): PublishVersion => ({
  type: 'PublishVersion',
  server: { name: NAME, version, description: 'Weather' },
  schemaId: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
  tools,
  semverPolicy: 'warn',
  now,
});

/** Events of an earlier publish, as decide produced them (so the history is realistic). */
function history(...commands: ServerCommand[]): ServerEvent[] {
  const events: ServerEvent[] = [];
  for (const command of commands) {
    const state = events.reduce(serverDecider.evolve, serverDecider.initialState());
    events.push(...serverDecider.decide(command, state));
  }
  return events;
}

const latestAfter = (events: ServerEvent[]) => events.reduce(serverDecider.evolve, serverDecider.initialState()).latest;
const status = (version: string, s: 'active' | 'deprecated' | 'deleted', minutes: number, statusMessage: string | null = null): ServerCommand => ({
  type: 'ChangeVersionStatus',
  serverName: NAME,
  version,
  status: s,
  statusMessage,
  now: at(minutes),
});

describe('server aggregate: publish', () => {
  it('records the publish and makes it latest', () => {
    const events = serverDecider.decide(publish('1.0.0'), serverDecider.initialState());
    expect(events.map((e) => e.type)).toEqual(['VersionPublished', 'LatestVersionChanged']);
    expect(events[0]!.data).toMatchObject({ serverName: NAME, version: '1.0.0', isLatest: true, publishedAt: T0.toISOString() });
    expect(events[1]!.data).toEqual({ serverName: NAME, previous: null, latest: '1.0.0' });
  });

  it('rejects a duplicate version as the official registry does', () => {
    spec
      .given(history(publish('1.0.0')))
      .when(publish('1.0.0', at(1)))
      .thenThrows(ToolportError, (e) => e.code === 'DUPLICATE_VERSION' && e.detail === 'invalid version: cannot publish duplicate version');
  });

  it.each([
    // [published before (in order), new version, latest afterwards]
    [['1.0.0'], '1.1.0', '1.1.0'],
    [['1.1.0'], '1.0.5', '1.1.0'], // a lower semver is published but does not become latest
    [['1.0.0'], '2.0.0-rc.1', '2.0.0-rc.1'],
    [['2.0.0-rc.1'], '2.0.0', '2.0.0'],
    [['1.0.0'], 'nightly-2026', '1.0.0'], // semver beats non-semver, even when later
    [['nightly-a'], '0.0.1', '0.0.1'], // semver beats non-semver, even when lower-looking
    [['nightly-a'], 'nightly-b', 'nightly-b'], // non-semver: later publish wins
    [['1.2.3'], 'v1.2.4', 'v1.2.4'], // v prefix is semver
    [['1.0.0+build.1'], '1.0.0+build.2', '1.0.0+build.1'], // build metadata does not order
  ])('after %j, publishing %s leaves latest at %s', (before, version, expected) => {
    const earlier = history(...before.map((b, i) => publish(b, at(i))));
    const events = [...earlier, ...serverDecider.decide(publish(version, at(10)), earlier.reduce(serverDecider.evolve, serverDecider.initialState()))];
    expect(latestAfter(events)).toBe(expected);
    const published = events.filter((e) => e.type === 'VersionPublished').at(-1)!;
    expect((published.data as { isLatest: boolean }).isLatest).toBe(expected === version);
  });
});

describe('server aggregate: status', () => {
  const three = () => history(publish('1.0.0', at(0)), publish('1.1.0', at(1)), publish('2.0.0', at(2)));

  it.each([
    ['deleting the latest moves latest to the next highest', [status('2.0.0', 'deleted', 5)], '1.1.0'],
    ['deprecating the latest keeps it latest (deprecated stays listed)', [status('2.0.0', 'deprecated', 5, 'use 3')], '2.0.0'],
    ['deleting a non-latest leaves latest', [status('1.0.0', 'deleted', 5)], '2.0.0'],
    ['undeleting restores latest', [status('2.0.0', 'deleted', 5), status('2.0.0', 'active', 6)], '2.0.0'],
    [
      'when every version is deleted the highest deleted keeps the flag',
      [status('2.0.0', 'deleted', 5), status('1.1.0', 'deleted', 6), status('1.0.0', 'deleted', 7)],
      '2.0.0',
    ],
  ])('%s', (_name, commands, expected) => {
    const events = three();
    for (const command of commands) events.push(...serverDecider.decide(command, events.reduce(serverDecider.evolve, serverDecider.initialState())));
    expect(latestAfter(events)).toBe(expected);
  });

  it('a publish after everything was deleted becomes latest', () => {
    const events = history(publish('2.0.0', at(0)), status('2.0.0', 'deleted', 1), publish('1.0.0', at(2)));
    expect(latestAfter(events)).toBe('1.0.0');
  });

  it('moves statusChangedAt only when the status changes, updatedAt on every change', () => {
    const events = history(publish('1.0.0', at(0)), status('1.0.0', 'deprecated', 5, 'old'), status('1.0.0', 'deprecated', 9, 'really old'));
    const version = events.reduce(serverDecider.evolve, serverDecider.initialState()).versions[0]!;
    expect(version).toMatchObject({ status: 'deprecated', statusMessage: 'really old', statusChangedAt: at(5).toISOString(), updatedAt: at(9).toISOString() });
  });

  it.each([
    ['an unchanged status', [status('1.0.0', 'active', 5)], 'STATUS_UNCHANGED'],
    ['a message with active', [status('1.0.0', 'active', 5, 'why')], 'STATUS_MESSAGE_NOT_ALLOWED'],
    ['a message over 500 characters', [status('1.0.0', 'deprecated', 5, 'x'.repeat(501))], 'STATUS_MESSAGE_TOO_LONG'],
    ['an unknown version', [status('9.9.9', 'deprecated', 5)], 'VERSION_NOT_FOUND'],
  ])('refuses %s', (_name, [command], code) => {
    spec.given(history(publish('1.0.0', at(0)))).when(command!).thenThrows(ToolportError, (e) => e.code === code);
  });

  it('refuses a status change of an unknown server', () => {
    spec.given([]).when(status('1.0.0', 'deleted', 1)).thenThrows(ToolportError, (e) => e.code === 'SERVER_NOT_FOUND' && e.kind === 'not_found');
  });

  it('changes every version of a server at once, skipping those already there', () => {
    const events = history(publish('1.0.0', at(0)), publish('1.1.0', at(1)), status('1.0.0', 'deprecated', 2, 'eol'));
    const decided = serverDecider.decide(
      { type: 'ChangeServerStatus', serverName: NAME, status: 'deprecated', statusMessage: 'eol', now: at(3) },
      events.reduce(serverDecider.evolve, serverDecider.initialState()),
    );
    expect(decided.map((e) => [e.type, (e.data as { version?: string }).version])).toEqual([['VersionStatusChanged', '1.1.0']]);
  });
});
