import { ToolportError } from '@toolport/contracts';
import { DeciderSpecification } from '@toolport/event-store';
import type { NamespacePoliciesEvent } from './namespace-policies';
import { namespacePoliciesDecider, namespaceProblem, type SetNamespacePolicy } from './namespace-policies.decide';

const spec = DeciderSpecification.for(namespacePoliciesDecider);

const set = (namespace: string, semverPolicy: SetNamespacePolicy['semverPolicy']): SetNamespacePolicy => ({ type: 'SetNamespacePolicy', namespace, semverPolicy });
const policySet = (namespace: string, semverPolicy: SetNamespacePolicy['semverPolicy']): NamespacePoliciesEvent => ({
  type: 'NamespacePolicySet',
  data: { namespace, semverPolicy },
});

const invalid =
  (...locations: string[]) =>
  (error: ToolportError): void => {
    expect(error.kind).toBe('invalid');
    expect(error.code).toBe('NAMESPACE_POLICY_INVALID');
    expect(error.errors.map((e) => e.location)).toEqual(locations);
  };

describe('namespace policies: SetNamespacePolicy', () => {
  it('sets a policy for a namespace pattern, an exact server name, or everything', () => {
    spec.given([]).when(set('com.acme/*', 'enforce')).then([policySet('com.acme/*', 'enforce')]);
    spec.given([]).when(set('com.acme/weather', 'off')).then([policySet('com.acme/weather', 'off')]);
    spec.given([]).when(set('*', 'warn')).then([policySet('*', 'warn')]);
    spec.given([]).when(set('io.github.team-', 'warn')).thenThrows(ToolportError, invalid('namespace'));
  });

  it('changes an existing policy', () => {
    spec.given([policySet('com.acme/*', 'enforce')]).when(set('com.acme/*', 'warn')).then([policySet('com.acme/*', 'warn')]);
    spec
      .given([policySet('com.acme/*', 'enforce'), policySet('com.acme/*', 'off')])
      .when(set('com.acme/*', 'enforce'))
      .then([policySet('com.acme/*', 'enforce')]);
  });

  it('appends nothing when the namespace already has that policy', () => {
    spec.given([policySet('com.acme/*', 'enforce')]).when(set('com.acme/*', 'enforce')).thenNothingHappened();
    spec.given([policySet('com.acme/*', 'enforce'), policySet('org.other/*', 'off')]).when(set('org.other/*', 'off')).thenNothingHappened();
  });

  it('keeps other namespaces apart: the same policy on another pattern is a new event', () => {
    spec.given([policySet('com.acme/*', 'enforce')]).when(set('com.acme/weather', 'enforce')).then([policySet('com.acme/weather', 'enforce')]);
  });

  it('refuses patterns permissions refuse, and patterns that match no server name', () => {
    spec.given([]).when(set('com.*/x', 'enforce')).thenThrows(ToolportError, invalid('namespace'));
    spec.given([]).when(set('', 'enforce')).thenThrows(ToolportError, invalid('namespace'));
    spec.given([]).when(set('com.acme /*', 'enforce')).thenThrows(ToolportError, invalid('namespace'));
    spec.given([]).when(set('com.acme', 'enforce')).thenThrows(ToolportError, invalid('namespace'));
    spec.given([]).when(set('/x*', 'enforce')).thenThrows(ToolportError, invalid('namespace'));
    spec.given([]).when(set('a/b/c', 'enforce')).thenThrows(ToolportError, invalid('namespace'));
    spec.given([]).when(set('com.acme/we?ther', 'enforce')).thenThrows(ToolportError, invalid('namespace'));
  });

  it('refuses an unknown policy, reporting every problem at once', () => {
    const error = spec
      .given([])
      .when(set('com.*/x', 'strict' as never))
      .thenThrows(ToolportError, invalid('namespace', 'semverPolicy'));
    expect(error.detail).toMatch(/semverPolicy must be enforce, warn or off/);
  });
});

describe('namespaceProblem', () => {
  it.each(['*', 'com.acme/*', 'com.acme*', 'com.acme/weather', 'io.github.some-user/tool_1.x', 'com.acme/internal-*'].map((p) => [p]))(
    'accepts %s',
    (pattern) => {
      expect(namespaceProblem(pattern)).toBeNull();
    },
  );

  it.each(['', '**', 'com.acme/*/x', 'com.acme', 'com.acme/', 'ab', 'com acme/*', '/tool', '/*', 'a/b/*', `x/${'y'.repeat(300)}`].map((p) => [p]))('refuses %j', (pattern) => {
    expect(namespaceProblem(pattern)).not.toBeNull();
  });
});
