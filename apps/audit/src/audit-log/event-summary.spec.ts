import { actorLabel, summarise } from './event-summary';

const alice = { kind: 'user', id: 'alice' } as const;
const bot = { kind: 'token', id: 'ci-bot' } as const;
const anonymous = { kind: 'anonymous', id: 'anonymous' } as const;
const scanner = { kind: 'service', id: 'scanner' } as const;
const version = { serverName: 'io.x/y', version: '1.2.0' };
const line = (type: string, data: unknown, actor: Parameters<typeof summarise>[0]['actor'] = alice) => summarise({ type, data, actor, streamId: 'stream-1' });

describe('actorLabel', () => {
  it('names people plainly and says what robots, services and anonymous callers are', () => {
    expect([alice, bot, scanner, anonymous].map(actorLabel)).toEqual(['alice', 'token ci-bot', 'service scanner', 'anonymous']);
  });
});

describe('summarise', () => {
  it.each([
    ['TokenIssued', bot, { tokenId: '0199aa', subject: 'robot', roles: ['reader', 'ops'], permissions: [], expiresAt: 'x' }, 'token ci-bot issued token 0199aa to robot (roles reader, ops)'],
    ['TokenIssued', alice, { tokenId: '0199aa', subject: 'robot', roles: [], permissions: [], expiresAt: 'x' }, 'alice issued token 0199aa to robot'],
    ['TokenRevoked', bot, { tokenId: '0199aa', expiresAt: 'x' }, 'token ci-bot revoked token 0199aa'],
    ['TokenRevoked', alice, { tokenId: '0199aa', expiresAt: 'x', reason: 'leaked in a log' }, 'alice revoked token 0199aa: leaked in a log'],
    ['VersionPublished', anonymous, { ...version, server: {} }, 'anonymous published io.x/y 1.2.0'],
    ['VersionStatusChanged', alice, { ...version, previousStatus: 'active', status: 'deprecated', statusMessage: null }, 'alice set io.x/y 1.2.0 to deprecated (was active)'],
    ['VersionStatusChanged', alice, { ...version, previousStatus: 'active', status: 'deleted', statusMessage: 'malware' }, 'alice set io.x/y 1.2.0 to deleted (was active): malware'],
    ['LatestVersionChanged', alice, { serverName: 'io.x/y', previous: '1.1.0', latest: '1.2.0' }, 'alice made io.x/y 1.2.0 the latest version (was 1.1.0)'],
    ['LatestVersionChanged', alice, { serverName: 'io.x/y', previous: '1.2.0', latest: null }, 'alice left io.x/y without a latest version (was 1.2.0)'],
    ['NamespacePolicySet', alice, { namespace: 'com.acme/*', semverPolicy: 'enforce' }, 'alice set the semver policy of com.acme/* to enforce'],
    ['ScanRequested', scanner, { ...version, reason: 'rescan' }, 'service scanner requested a scan of io.x/y 1.2.0 (rescan)'],
    ['ScanCompleted', scanner, { ...version, score: 40, trustLevel: 'needs-review', findings: [{}, {}] }, 'service scanner scanned io.x/y 1.2.0: score 40, needs-review, 2 findings'],
    ['ScanCompleted', scanner, { ...version, score: 100, trustLevel: 'passed', findings: [{}] }, 'service scanner scanned io.x/y 1.2.0: score 100, passed, 1 finding'],
    ['ScanFailed', scanner, { ...version, reason: 'registry unreachable' }, 'service scanner failed to scan io.x/y 1.2.0: registry unreachable'],
    ['VersionApproved', alice, { ...version, justification: 'looks fine', automatic: false }, 'alice approved io.x/y 1.2.0: looks fine'],
    ['VersionApproved', scanner, { ...version, justification: 'score 100', automatic: true }, 'service scanner automatically approved io.x/y 1.2.0: score 100'],
    ['VersionRejected', alice, { ...version, justification: 'exfiltrates env' }, 'alice rejected io.x/y 1.2.0: exfiltrates env'],
    ['ApprovalRevoked', alice, { ...version, justification: 'tool drift' }, 'alice revoked the approval of io.x/y 1.2.0: tool drift'],
    ['HealthStatusChanged', { kind: 'service', id: 'health' } as const, { ...version, previousStatus: 'healthy', status: 'down', reason: 'timeout' }, 'service health saw io.x/y 1.2.0 become down (was healthy): timeout'],
    ['ToolDriftDetected', { kind: 'service', id: 'health' } as const, { ...version, added: ['exec'], removed: ['search'], changed: ['fetch'] }, 'service health detected tool drift on io.x/y 1.2.0: +exec -search ~fetch'],
  ])('%s by %j', (type, actor, data, expected) => {
    expect(line(type, data, actor)).toBe(expected);
  });

  it('falls back to a generic line for a type it does not know, naming the subject or the stream', () => {
    expect(line('PolicyChanged', { serverName: 'io.x/y', version: '2.0.0', anything: 1 })).toBe('alice: PolicyChanged on io.x/y 2.0.0');
    expect(line('PolicyChanged', { serverName: 'io.x/y' })).toBe('alice: PolicyChanged on io.x/y');
    expect(line('AuthFailuresBurst', { count: 50 }, bot)).toBe('token ci-bot: AuthFailuresBurst on stream stream-1');
  });

  it('falls back to the generic line when a known type lacks what its sentence needs, instead of failing', () => {
    expect(line('VersionApproved', { justification: 'x' })).toBe('alice: VersionApproved on stream stream-1');
    expect(line('TokenRevoked', null, bot)).toBe('token ci-bot: TokenRevoked on stream stream-1');
    expect(line('ScanCompleted', [1, 2], scanner)).toBe('service scanner: ScanCompleted on stream stream-1');
  });

  it('does not mistake inherited property names for event types', () => {
    expect(line('toString', {})).toBe('alice: toString on stream stream-1');
    expect(line('constructor', {})).toBe('alice: constructor on stream stream-1');
  });
});
