import type { Principal } from '@toolport/auth';
import { ToolportError } from '@toolport/contracts';
import { parseJustification, reviewerConflicts } from './review-access';

const principal = (overrides: Partial<Principal>): Principal => ({
  subject: 'rita',
  tokenId: 't1',
  roles: ['reviewer'],
  permissions: [],
  authMethod: 'api-token',
  expiresAt: null,
  actor: { kind: 'token', id: 'rita' },
  ...overrides,
});
const someoneElse = { kind: 'user' as const, id: 'pat' };

describe('reviewerConflicts (separation of duties)', () => {
  it('finds an explicit publish grant covering the server name', () => {
    expect(reviewerConflicts(principal({ permissions: [{ action: 'publish', resource: 'com.acme/*' }] }), 'com.acme/weather', someoneElse)).toEqual({ mayPublish: true, publishedIt: false });
    expect(reviewerConflicts(principal({ permissions: [{ action: 'publish', resource: 'com.other/*' }] }), 'com.acme/weather', someoneElse).mayPublish).toBe(false);
    expect(reviewerConflicts(principal({ permissions: [{ action: 'edit', resource: 'com.acme/*' }] }), 'com.acme/weather', someoneElse).mayPublish).toBe(false);
  });

  it("does not count admin's implicit right to everything as a grant, but does count an admin's explicit one", () => {
    expect(reviewerConflicts(principal({ roles: ['admin'] }), 'com.acme/weather', someoneElse).mayPublish).toBe(false);
    expect(reviewerConflicts(principal({ roles: ['admin'], permissions: [{ action: 'publish', resource: '*' }] }), 'com.acme/weather', someoneElse).mayPublish).toBe(true);
  });

  it('recognises the publishing actor by kind and id', () => {
    expect(reviewerConflicts(principal({}), 'com.acme/weather', { kind: 'token', id: 'rita' }).publishedIt).toBe(true);
    expect(reviewerConflicts(principal({}), 'com.acme/weather', { kind: 'user', id: 'rita' }).publishedIt).toBe(false);
  });
});

describe('parseJustification', () => {
  it('needs a non-blank string', () => {
    expect(parseJustification({ justification: 'ok' })).toBe('ok');
    for (const body of [undefined, null, [], {}, { justification: '  ' }, { justification: 3 }]) {
      expect(() => parseJustification(body)).toThrow(ToolportError);
    }
  });
});
