import { extraClaimsProblem, githubRepositoryOwner, oidcIdentity } from './oidc-claims';

describe('extraClaimsProblem', () => {
  it('passes when every key of every rule matches exactly', () => {
    expect(extraClaimsProblem([], { sub: 'x' })).toBeNull();
    expect(extraClaimsProblem([{ hd: 'acme.com' }, { email_verified: true }], { hd: 'acme.com', email_verified: true })).toBeNull();
    expect(extraClaimsProblem([{ groups: ['a', 'b'] }], { groups: ['a', 'b'] })).toBeNull();
  });

  it('names the missing or different claim', () => {
    expect(extraClaimsProblem([{ hd: 'acme.com' }], { sub: 'x' })).toBe('the token has no hd claim, which this registry requires (hd="acme.com")');
    expect(extraClaimsProblem([{ hd: 'acme.com' }], { hd: 'evil.com' })).toBe(
      'the token\'s hd claim is "evil.com", this registry requires "acme.com"',
    );
    // No coercion: the string "true" is not the boolean true.
    expect(extraClaimsProblem([{ email_verified: true }], { email_verified: 'true' })).toMatch(/email_verified claim is "true"/);
  });
});

describe('githubRepositoryOwner', () => {
  it('accepts GitHub names', () => {
    expect(githubRepositoryOwner({ repository_owner: 'octo-org' })).toEqual({ ok: true, value: 'octo-org' });
  });

  it.each([undefined, '', 'octo/org', 'octo.org', '../x', 'octo_org', 42])('refuses %j', (owner) => {
    expect(githubRepositoryOwner({ repository_owner: owner }).ok).toBe(false);
  });
});

describe('oidcIdentity', () => {
  it('prefers a verified email, else the subject', () => {
    expect(oidcIdentity({ sub: '1234', email: 'ada@acme.com', email_verified: true })).toBe('ada@acme.com');
    expect(oidcIdentity({ sub: '1234', email: 'ada@acme.com' })).toBe('1234');
    expect(oidcIdentity({ sub: '1234', email: 'ada@acme.com', email_verified: 'true' })).toBe('1234');
  });
});
