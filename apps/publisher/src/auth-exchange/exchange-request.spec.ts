import { ToolportError } from '@toolport/contracts';
import { parseOidcTokenRequest, parseSignedTimestampRequest } from './exchange-request';

function refusal(run: () => unknown): ToolportError {
  try {
    run();
  } catch (error) {
    if (error instanceof ToolportError) return error;
    throw error;
  }
  throw new Error('expected a ToolportError');
}

describe('exchange request bodies', () => {
  it('reads the signed-timestamp body', () => {
    expect(parseSignedTimestampRequest({ domain: 'example.com', timestamp: 't', signed_timestamp: 'ab', extra: 1 })).toEqual({
      domain: 'example.com',
      timestamp: 't',
      signedTimestamp: 'ab',
    });
    expect(parseOidcTokenRequest({ oidc_token: 'eyJ' })).toEqual({ oidcToken: 'eyJ' });
  });

  it('answers 400 invalid with one error per bad field', () => {
    const error = refusal(() => parseSignedTimestampRequest({ domain: 7, timestamp: '' }));
    expect(error).toMatchObject({ kind: 'invalid', code: 'AUTH_REQUEST_INVALID' });
    expect(error.errors).toEqual([
      { location: 'body.domain', message: 'must be a string' },
      { location: 'body.timestamp', message: 'must not be empty' },
      { location: 'body.signed_timestamp', message: 'is required' },
    ]);
    expect(error.detail).toBe('The request body is not valid: domain must be a string; timestamp must not be empty; signed_timestamp is required');
  });

  it.each([undefined, null, 'text', [1], 3])('refuses a body that is not an object: %j', (body) => {
    expect(refusal(() => parseOidcTokenRequest(body))).toMatchObject({ kind: 'invalid', errors: [{ location: 'body' }] });
  });

  it('caps field sizes', () => {
    expect(refusal(() => parseOidcTokenRequest({ oidc_token: 'x'.repeat(16 * 1024 + 1) })).errors).toEqual([
      { location: 'body.oidc_token', message: 'must be at most 16384 characters' },
    ]);
  });
});
