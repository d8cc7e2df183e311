import { ToolportError } from '@toolport/contracts';
import { DeciderSpecification } from '@toolport/event-store';
import type { ApiTokenEvent } from './api-token';
import { apiTokenDecider, DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, type IssueExchangedToken, type IssueToken, type RevokeToken } from './api-token.decide';

const NOW = new Date('2026-05-01T12:00:00.000Z');
const DAY = 86_400_000;
const TOKEN_ID = '0196b3e0-0000-7000-8000-000000000001';
const EXPIRES_AT = new Date(NOW.getTime() + 30 * DAY);

const issue = (overrides: Partial<IssueToken> = {}): IssueToken => ({
  type: 'IssueToken',
  tokenId: TOKEN_ID,
  subject: 'ci-bot',
  roles: ['publisher'],
  permissions: [{ action: 'publish', resource: 'io.github.acme/*' }],
  expiresAt: EXPIRES_AT,
  now: NOW,
  ...overrides,
});
const revoke = (overrides: Partial<RevokeToken> = {}): RevokeToken => ({ type: 'RevokeToken', tokenId: TOKEN_ID, now: NOW, ...overrides });

const issued: ApiTokenEvent = {
  type: 'TokenIssued',
  data: {
    tokenId: TOKEN_ID,
    subject: 'ci-bot',
    roles: ['publisher'],
    permissions: [{ action: 'publish', resource: 'io.github.acme/*' }],
    expiresAt: EXPIRES_AT.toISOString(),
    authMethod: 'api-token',
  },
};
const revoked: ApiTokenEvent = { type: 'TokenRevoked', data: { tokenId: TOKEN_ID, expiresAt: EXPIRES_AT.toISOString(), reason: 'leaked' } };

const spec = DeciderSpecification.for(apiTokenDecider());

/** Asserts the thrown ToolportError's kind, code and the locations of its per-field errors. */
const toolportError =
  (kind: string, code: string, locations: string[] = []) =>
  (error: ToolportError): void => {
    expect(error.kind).toBe(kind);
    expect(error.code).toBe(code);
    expect(error.errors.map((e) => e.location)).toEqual(locations);
  };

describe('API token: IssueToken', () => {
  it('issues a new token', () => {
    spec.given([]).when(issue()).then([issued]);
  });

  it('issues only once per token id', () => {
    spec.given([issued]).when(issue()).thenThrows(ToolportError, toolportError('conflict', 'TOKEN_EXISTS'));
    spec.given([issued, revoked]).when(issue()).thenThrows(ToolportError, toolportError('conflict', 'TOKEN_EXISTS'));
  });

  it('needs known, distinct roles', () => {
    spec
      .given([])
      .when(issue({ roles: [] , permissions: [] }))
      .thenThrows(ToolportError, toolportError('invalid', 'TOKEN_REQUEST_INVALID', ['roles']));
    spec
      .given([])
      .when(issue({ roles: ['publisher', 'root' as never, 'publisher'] }))
      .thenThrows(ToolportError, toolportError('invalid', 'TOKEN_REQUEST_INVALID', ['roles[1]', 'roles[2]']));
  });

  it('ties publish permissions to the publisher role, both ways', () => {
    spec
      .given([])
      .when(issue({ roles: ['reviewer'] }))
      .thenThrows(ToolportError, toolportError('invalid', 'TOKEN_REQUEST_INVALID', ['roles']));
    spec
      .given([])
      .when(issue({ permissions: [] }))
      .thenThrows(ToolportError, toolportError('invalid', 'TOKEN_REQUEST_INVALID', ['permissions']));
    const admin = issue({ roles: ['admin'], permissions: [{ action: 'publish', resource: '*' }] });
    spec.given([]).when(admin).then([{ type: 'TokenIssued', data: { ...issued.data, roles: ['admin'], permissions: [{ action: 'publish', resource: '*' }] } }]);
    spec.given([]).when(issue({ roles: ['reader', 'ops'], permissions: [] })).then([
      { type: 'TokenIssued', data: { ...issued.data, roles: ['reader', 'ops'], permissions: [] } },
    ]);
  });

  it('refuses namespace patterns with a star that is not last', () => {
    spec
      .given([])
      .when(issue({ permissions: [{ action: 'publish', resource: 'io.*.acme/x' }] }))
      .thenThrows(ToolportError, toolportError('invalid', 'TOKEN_REQUEST_INVALID', ['permissions[0].resource']));
  });

  it('refuses an empty subject', () => {
    spec
      .given([])
      .when(issue({ subject: ' ' }))
      .thenThrows(ToolportError, toolportError('invalid', 'TOKEN_REQUEST_INVALID', ['subject']));
  });

  it('bounds the lifetime: in the future, and at most the configured maximum (90 days by default)', () => {
    spec
      .given([])
      .when(issue({ expiresAt: NOW }))
      .thenThrows(ToolportError, toolportError('invalid', 'TOKEN_REQUEST_INVALID', ['expiresAt']));
    const atMax = new Date(NOW.getTime() + DEFAULT_MAX_TOKEN_LIFETIME_SECONDS * 1000);
    spec.given([]).when(issue({ expiresAt: atMax })).then([{ type: 'TokenIssued', data: { ...issued.data, expiresAt: atMax.toISOString() } }]);
    const error = spec
      .given([])
      .when(issue({ expiresAt: new Date(atMax.getTime() + 1000) }))
      .thenThrows(ToolportError, toolportError('invalid', 'TOKEN_REQUEST_INVALID', ['expiresAt']));
    expect(error.detail).toMatch(/at most 90 days/);

    const hourly = DeciderSpecification.for(apiTokenDecider({ maxLifetimeSeconds: 3600 }));
    hourly
      .given([])
      .when(issue({ expiresAt: new Date(NOW.getTime() + 3601_000) }))
      .thenThrows(ToolportError, (e) => expect(e.detail).toMatch(/at most 1 hours/));
  });
});

describe('API token: IssueExchangedToken (the publisher\'s /v0/auth/* exchange)', () => {
  const FIVE_MINUTES = new Date(NOW.getTime() + 300_000);
  const exchange = (overrides: Partial<IssueExchangedToken> = {}): IssueExchangedToken => ({
    type: 'IssueExchangedToken',
    tokenId: TOKEN_ID,
    subject: 'github-oidc:octo-org',
    roles: ['publisher'],
    permissions: [{ action: 'publish', resource: 'io.github.octo-org/*' }],
    authMethod: 'github-oidc',
    authMethodSub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
    expiresAt: FIVE_MINUTES,
    now: NOW,
    ...overrides,
  });
  const exchanged: ApiTokenEvent = {
    type: 'TokenIssued',
    data: {
      tokenId: TOKEN_ID,
      subject: 'github-oidc:octo-org',
      roles: ['publisher'],
      permissions: [{ action: 'publish', resource: 'io.github.octo-org/*' }],
      expiresAt: FIVE_MINUTES.toISOString(),
      authMethod: 'github-oidc',
      authMethodSub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
    },
  };

  it('records the exchanged token as issued, with its method and the identity the method proved', () => {
    spec.given([]).when(exchange()).then([exchanged]);
  });

  it('keeps the grants the exchange decided, which the admin policy would refuse (edit only, from the generic OIDC settings)', () => {
    const editOnly = exchange({ subject: 'oidc:ada@acme.test', authMethod: 'oidc', authMethodSub: '1098765', permissions: [{ action: 'edit', resource: 'com.acme/*' }] });
    spec.given([]).when(editOnly).then([
      { type: 'TokenIssued', data: { ...exchanged.data, subject: 'oidc:ada@acme.test', authMethod: 'oidc', authMethodSub: '1098765', permissions: [{ action: 'edit', resource: 'com.acme/*' }] } },
    ]);
  });

  it('issues once per token id, and an admin may revoke it like an API token', () => {
    spec.given([exchanged]).when(exchange()).thenThrows(ToolportError, toolportError('conflict', 'TOKEN_EXISTS'));
    spec.given([exchanged]).when(revoke({ reason: 'leaked CI log' })).then([
      { type: 'TokenRevoked', data: { tokenId: TOKEN_ID, expiresAt: FIVE_MINUTES.toISOString(), reason: 'leaked CI log' } },
    ]);
  });

  it('is a bug, not a refusal, to record an admin method or an already expired token', () => {
    spec.given([]).when(exchange({ authMethod: 'api-token' })).thenThrows(Error, (e) => expect(e.message).toMatch(/cannot have auth method api-token/));
    spec.given([]).when(exchange({ expiresAt: NOW })).thenThrows(Error, (e) => expect(e.message).toMatch(/must expire after/));
  });
});

describe('API token: RevokeToken', () => {
  it('revokes an issued token, carrying its expiry so services can forget the revocation after it', () => {
    spec.given([issued]).when(revoke({ reason: 'leaked' })).then([revoked]);
    spec.given([issued]).when(revoke()).then([{ type: 'TokenRevoked', data: { tokenId: TOKEN_ID, expiresAt: EXPIRES_AT.toISOString() } }]);
  });

  it('cannot revoke a token that was never issued', () => {
    spec.given([]).when(revoke()).thenThrows(ToolportError, toolportError('not_found', 'TOKEN_NOT_FOUND'));
  });

  it('revokes idempotently: a second revocation changes nothing', () => {
    spec.given([issued, revoked]).when(revoke({ reason: 'again' })).thenNothingHappened();
  });

  it('does not revoke a token that has already expired', () => {
    spec.given([issued]).when(revoke({ now: EXPIRES_AT })).thenNothingHappened();
  });
});
