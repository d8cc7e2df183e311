import { tokenIssued, tokenRevoked } from './__fixtures__/test-events';
import { type TokenCommand, tokenDecider, TokenNotIssued } from './__fixtures__/token.decide';
import { DeciderSpecification, DeciderSpecificationError } from './decider-spec';

const spec = DeciderSpecification.for(tokenDecider);
const revoke: TokenCommand = { type: 'RevokeToken', tokenId: 't1', reason: 'leaked' };
const issue: TokenCommand = { type: 'IssueToken', tokenId: 't1', subject: 'ci-robot' };

describe('DeciderSpecification', () => {
  it('then passes when decide returns exactly the expected events', () => {
    spec.given([]).when(issue).then([tokenIssued('t1')]);
    spec.given(tokenIssued('t1')).when(revoke).then(tokenRevoked('t1', 'leaked'));
  });

  it('then fails, showing both lists, when the events differ', () => {
    const run = () => spec.given([tokenIssued('t1')]).when(revoke).then([tokenRevoked('t1', 'expired')]);
    expect(run).toThrow(DeciderSpecificationError);
    expect(run).toThrow(/"reason": "leaked"[\s\S]*"reason": "expired"/);
    expect(() => spec.given([]).when(issue).then([tokenIssued('t1'), tokenIssued('t1')])).toThrow(DeciderSpecificationError);
  });

  it('thenNothingHappened passes for a no-op and fails otherwise', () => {
    spec.given([tokenIssued('t1')]).when(issue).thenNothingHappened();
    expect(() => spec.given([]).when(issue).thenNothingHappened()).toThrow(DeciderSpecificationError);
  });

  it('thenThrows checks the error class and returns the error', () => {
    const error = spec.given([]).when(revoke).thenThrows(TokenNotIssued);
    expect(error.code).toBe('TOKEN_NOT_ISSUED');
    spec.given([]).when(revoke).thenThrows(Error);
    expect(() => spec.given([]).when(revoke).thenThrows(RangeError)).toThrow(/expects a RangeError/);
  });

  it('thenThrows accepts a check, alone or with a class', () => {
    spec.given([]).when(revoke).thenThrows((e) => e instanceof TokenNotIssued);
    spec.given([]).when(revoke).thenThrows(TokenNotIssued, (e) => e.message.includes('t1'));
    spec.given([]).when(revoke).thenThrows((e) => {
      expect(e).toBeInstanceOf(TokenNotIssued);
    });
    expect(() => spec.given([]).when(revoke).thenThrows(TokenNotIssued, () => false)).toThrow(/check rejected/);
    spec.given([]).when(revoke).thenThrows();
  });

  it('thenThrows fails when decide returns instead of throwing', () => {
    expect(() => spec.given([]).when(issue).thenThrows()).toThrow(/expects it to throw/);
    expect(() => spec.given([]).when(issue).thenThrows(TokenNotIssued)).toThrow(DeciderSpecificationError);
  });
});
