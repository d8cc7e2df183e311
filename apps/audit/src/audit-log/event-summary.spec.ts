import { actorLabel, summarise } from './event-summary';

const alice = { kind: 'user', id: 'alice' } as const;
const bot = { kind: 'token', id: 'ci-bot' } as const;
const anonymous = { kind: 'anonymous', id: 'anonymous' } as const;
const scanner = { kind: 'service', id: 'scanner' } as const;
const version = { serverName: 'io.x/y', version: '1.2.0' };
/** What a halted projection was stuck on, as ConsumerMessageSkipped and ConsumerResumed carry it. */
const halted = { service: 'catalog', consumer: 'catalog-token-revocations', stream: 'publisher', streamSequence: 12, subject: 't.publisher.token.TokenRevoked', eventType: 'TokenRevoked', eventId: '0199ad', haltError: 'x', deliveries: 5, haltedSince: 'x' };
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
    ['TokenIssued', bot, { tokenId: '0199aa', subject: 'robot', roles: ['reader'], permissions: [], expiresAt: 'x', authMethod: 'api-token' }, 'token ci-bot issued token 0199aa to robot (roles reader)'],
    [
      'TokenIssued',
      { kind: 'user', id: 'github-oidc:octo-org' } as const,
      { tokenId: '0199ab', subject: 'github-oidc:octo-org', roles: ['publisher'], permissions: [{ action: 'publish', resource: 'io.github.octo-org/*' }], expiresAt: 'x', authMethod: 'github-oidc', authMethodSub: 'repo:octo-org/r' },
      'github-oidc:octo-org obtained token 0199ab through the github-oidc exchange (publish io.github.octo-org/*)',
    ],
    ['TokenIssued', anonymous, { tokenId: '0199ac', subject: 'anonymous', roles: ['publisher'], permissions: [], expiresAt: 'x', authMethod: 'none' }, 'anonymous obtained token 0199ac through the none exchange'],
    ['TokenRevoked', bot, { tokenId: '0199aa', expiresAt: 'x' }, 'token ci-bot revoked token 0199aa'],
    [
      'ConsumerMessageSkipped',
      alice,
      { ...halted, reason: 'row is corrupt, revoked again by hand' },
      'alice had catalog-token-revocations (catalog) skip TokenRevoked 0199ad at stream sequence 12, which it never applies: row is corrupt, revoked again by hand',
    ],
    ['ConsumerResumed', bot, { ...halted }, 'token ci-bot resumed catalog-token-revocations (catalog), retrying TokenRevoked 0199ad at stream sequence 12'],
    [
      'ConsumerResumed',
      alice,
      { ...halted, eventType: null, eventId: null, reason: 'disk freed' },
      'alice resumed catalog-token-revocations (catalog), retrying an unreadable message at stream sequence 12: disk freed',
    ],
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
    [
      'AuthenticationFailureBurstDetected',
      alice,
      { service: 'catalog', sourceIp: '203.0.113.7', count: 12, windowSeconds: 60, reasons: [{ reason: 'expired', count: 12 }], claimedSubjects: ['alice'] },
      'catalog refused 12 authentications claiming alice (unverified) from 203.0.113.7 within 60 s: expired 12',
    ],
    [
      'AuthenticationFailureBurstDetected',
      { kind: 'anonymous', id: '203.0.113.7' } as const,
      { service: 'publisher', sourceIp: '203.0.113.7', count: 10, windowSeconds: 60, reasons: [{ reason: 'missing', count: 4 }, { reason: 'bad_signature', count: 6 }], claimedSubjects: [] },
      'publisher refused 10 authentications from 203.0.113.7 within 60 s: missing 4, bad_signature 6',
    ],
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
