import { ToolportError } from '@toolport/contracts';
import { parseExpiresIn, parseIssueTokenRequest } from './issue-token.request';

const DEFAULT = 30 * 86400;

function errorOf(body: unknown): ToolportError {
  try {
    parseIssueTokenRequest(body, DEFAULT);
  } catch (error) {
    if (error instanceof ToolportError) return error;
    throw error;
  }
  throw new Error('expected the body to be refused');
}

describe('parseExpiresIn', () => {
  it.each([
    [3600, 3600],
    ['3600', 3600],
    ['90s', 90],
    ['90m', 5400],
    ['12h', 43200],
    ['30d', 2592000],
    ['2w', 1209600],
  ])('%j -> %d seconds', (value, seconds) => {
    expect(parseExpiresIn(value)).toBe(seconds);
  });

  it.each([0, -5, 1.5, '', '0d', '1y', '-1h', 'soon', '1.5h'])('refuses %j', (value) => {
    expect(parseExpiresIn(value)).toBeNull();
  });
});

describe('parseIssueTokenRequest', () => {
  it('turns namespaces into publish permissions and applies the default lifetime', () => {
    expect(parseIssueTokenRequest({ subject: 'ci-bot', roles: ['publisher'], namespaces: ['io.github.acme/*'] }, DEFAULT)).toEqual({
      subject: 'ci-bot',
      roles: ['publisher'],
      permissions: [{ action: 'publish', resource: 'io.github.acme/*' }],
      lifetimeSeconds: DEFAULT,
    });
    expect(parseIssueTokenRequest({ subject: 'agent', roles: ['reader'], expiresIn: '12h' }, DEFAULT)).toMatchObject({
      permissions: [],
      lifetimeSeconds: 43200,
    });
  });

  it('reports every field that is wrong, each with its location', () => {
    const error = errorOf({ subject: '', roles: ['root'], namespaces: 'acme', extra: true });
    expect(error).toMatchObject({ kind: 'invalid', code: 'TOKEN_REQUEST_INVALID' });
    expect(error.errors.map((e) => e.location).sort()).toEqual(['extra', 'namespaces', 'roles[0]', 'subject']);
    expect(error.detail).toMatch(/roles\[0\] must be equal to one of the allowed values/);
  });

  it('requires subject and roles, and an object body', () => {
    expect(errorOf({}).errors.map((e) => e.location).sort()).toEqual(['roles', 'subject']);
    expect(errorOf(null).errors).toEqual([{ location: 'body', message: 'must be object' }]);
  });

  it('checks namespace patterns and the expiresIn syntax', () => {
    const error = errorOf({ subject: 'x', roles: ['publisher'], namespaces: ['ok/*', 'bad*/x'], expiresIn: '1 year' });
    expect(error.errors.map((e) => e.location)).toEqual(['namespaces[1]', 'expiresIn']);
    expect(errorOf({ subject: 'x', roles: ['reader'], expiresIn: true }).errors[0]).toMatchObject({ location: 'expiresIn' });
  });
});
