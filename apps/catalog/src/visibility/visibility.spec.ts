import { isVisible, visibilityFor, visibilitySearchFilters } from './visibility';

const reader = { roles: ['reader' as const] };
const reviewer = { roles: ['reviewer' as const] };
const admin = { roles: ['admin' as const] };

describe('visibilityFor', () => {
  it('shows anonymous callers and readers only approved, non-deleted versions by default', () => {
    for (const principal of [null, reader, { roles: ['publisher' as const, 'ops' as const, 'auditor' as const] }]) {
      expect(visibilityFor(principal, 'approved', { includeDeleted: false })).toEqual({ approvedOnly: true, statuses: ['active', 'deprecated'], privileged: false });
    }
  });

  it('shows reviewers and admins everything, and says so', () => {
    for (const principal of [reviewer, admin]) {
      expect(visibilityFor(principal, 'approved', { includeDeleted: false })).toEqual({ approvedOnly: false, statuses: ['active', 'deprecated'], privileged: true });
    }
  });

  it('shows unapproved versions to everyone in mode all, and deleted ones only when asked', () => {
    expect(visibilityFor(null, 'all', { includeDeleted: true })).toEqual({ approvedOnly: false, statuses: ['active', 'deprecated', 'deleted'], privileged: false });
  });
});

describe('isVisible', () => {
  const rule = visibilityFor(null, 'approved', { includeDeleted: false });
  it('is the same rule for one version in memory', () => {
    expect(isVisible(rule, { status: 'active', approval: 'approved' })).toBe(true);
    expect(isVisible(rule, { status: 'deprecated', approval: 'approved' })).toBe(true);
    expect(isVisible(rule, { status: 'deleted', approval: 'approved' })).toBe(false);
    for (const approval of ['pending', 'rejected', 'revoked'] as const) expect(isVisible(rule, { status: 'active', approval })).toBe(false);
    expect(isVisible(visibilityFor(reviewer, 'approved', { includeDeleted: true }), { status: 'deleted', approval: 'rejected' })).toBe(true);
  });
});

describe('visibilitySearchFilters', () => {
  it('turns the rule into SearchIndex filters', () => {
    expect(visibilitySearchFilters(visibilityFor(null, 'approved', { includeDeleted: false }))).toEqual({ statuses: ['active', 'deprecated'], approved: true });
    expect(visibilitySearchFilters(visibilityFor(admin, 'approved', { includeDeleted: true }))).toEqual({ statuses: ['active', 'deprecated', 'deleted'] });
  });
});
