import { FetchError, type FetchFailureKind } from '@toolport/platform';
import { fetchFailureIssue } from './verification-issue';

const URL_ = 'https://registry.example/pkg/1.0.0?token=secret';
const issueFor = (kind: FetchFailureKind, status: number | null = null, message = 'detail') => fetchFailureIssue('packages[3]', "NPM package 'pkg@1.0.0'", new FetchError(kind, URL_, message, status));

describe('fetchFailureIssue', () => {
  it('marks transient failures retryable and says to try again, without the query string', () => {
    expect(issueFor('timeout', null, 'registry.example did not answer within 10 ms')).toEqual({
      path: 'packages[3]',
      severity: 'error',
      retryable: true,
      message: "Could not verify NPM package 'pkg@1.0.0': registry.example did not answer within 10 ms. Try again later.",
    });
    expect(issueFor('network', null, 'x could not be reached: ENOTFOUND').message).toBe("Could not verify NPM package 'pkg@1.0.0': x could not be reached: ENOTFOUND. Try again later.");
    expect(issueFor('server-error', 502)).toMatchObject({ retryable: true, message: "Could not verify NPM package 'pkg@1.0.0': https://registry.example/pkg/1.0.0 answered 502. Try again later." });
    expect(issueFor('rate-limited', 429)).toMatchObject({ retryable: true, message: expect.stringContaining('is rate-limiting requests (429). Try again later.') });
  });

  it('reports the other failures as plain errors', () => {
    expect(issueFor('unauthorized', 401)).toEqual({ path: 'packages[3]', severity: 'error', message: "NPM package 'pkg@1.0.0' not found or not accessible: https://registry.example/pkg/1.0.0 answered 401." });
    for (const kind of ['too-large', 'redirect', 'invalid-url', 'invalid-response', 'http-status'] as const) {
      const issue = issueFor(kind, null, `${kind} happened`);
      expect(issue).toEqual({ path: 'packages[3]', severity: 'error', message: `Could not verify NPM package 'pkg@1.0.0': ${kind} happened.` });
    }
  });

  it('reports a destination the address policy refused as a plain error that says how an operator allows an internal registry', () => {
    const issue = issueFor('refused', null, 'refused https://169.254.169.254/x: 169.254.169.254 is in 169.254.169.254/32 (cloud metadata service)');
    expect(issue).toEqual({
      path: 'packages[3]',
      severity: 'error',
      message:
        "Could not verify NPM package 'pkg@1.0.0': refused https://169.254.169.254/x: 169.254.169.254 is in 169.254.169.254/32 (cloud metadata service). " +
        'This registry does not connect to loopback, private, link-local or cloud metadata addresses named by published data; if this is an internal registry, ' +
        'its operator can allow its range with TOOLPORT_PUBLISHER_ALLOW_CIDRS (or list it in TOOLPORT_ALLOWED_REGISTRY_URLS).',
    });
  });

  it('lets programming errors through instead of disguising them as registry failures', () => {
    expect(() => fetchFailureIssue('packages[0]', 'x', new TypeError('bug'))).toThrow(TypeError);
  });
});
