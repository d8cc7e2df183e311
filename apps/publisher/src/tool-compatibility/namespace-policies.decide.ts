import { patternProblem } from '@toolport/auth';
import { type ErrorItem, ToolportError } from '@toolport/contracts';
import type { Decider } from '@toolport/event-store';
import type { SemverPolicy } from './compatibility';
import { evolve, initialState, type NamespacePoliciesEvent, type NamespacePoliciesState } from './namespace-policies';

export interface SetNamespacePolicy {
  type: 'SetNamespacePolicy';
  namespace: string;
  semverPolicy: SemverPolicy;
}

export type NamespacePoliciesCommand = SetNamespacePolicy;

export const SEMVER_POLICIES: readonly SemverPolicy[] = ['enforce', 'warn', 'off'];

/** Server names as the official schema has them: `^[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+$`, 3-200 characters. */
const SERVER_NAME = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;
/** What may precede a trailing `*`: the start of some server name (a namespace part, then maybe `/` and a name part). */
const NAME_PREFIX = /^(?:[a-zA-Z0-9.-]*|[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]*)$/;

/**
 * Why `namespace` cannot carry a policy, or null. Patterns follow permission patterns
 * (`*`, `prefix*`, exact name; see patternProblem), and must be able to match a server name: a
 * policy on a pattern that matches nothing would look set while governing nothing.
 */
export function namespaceProblem(namespace: string): string | null {
  const problem = patternProblem(namespace);
  if (problem) return problem;
  if (namespace.endsWith('*')) {
    return NAME_PREFIX.test(namespace.slice(0, -1))
      ? null
      : "must be '*', a server name prefix followed by '*' (such as com.acme/*), or a server name";
  }
  if (namespace.length < 3 || namespace.length > 200 || !SERVER_NAME.test(namespace)) {
    return "must be a server name (namespace/name, such as com.acme/weather) or end with '*' (such as com.acme/*)";
  }
  return null;
}

/**
 * Sets one namespace's policy. Setting the policy it already has appends nothing: PUT is
 * idempotent (RFC 9110 §9.2.2), and a repeated event would only add noise to the audit log.
 */
export function decide(command: NamespacePoliciesCommand, state: NamespacePoliciesState): NamespacePoliciesEvent[] {
  const problems: ErrorItem[] = [];
  const namespaceIssue = namespaceProblem(command.namespace);
  if (namespaceIssue) problems.push({ location: 'namespace', message: namespaceIssue, value: command.namespace });
  if (!SEMVER_POLICIES.includes(command.semverPolicy)) {
    problems.push({ location: 'semverPolicy', message: 'must be enforce, warn or off', value: command.semverPolicy });
  }
  if (problems.length > 0) {
    throw new ToolportError(
      'invalid',
      'NAMESPACE_POLICY_INVALID',
      `The namespace policy is invalid: ${problems.map((p) => `${p.location} ${p.message}`).join('; ')}`,
      problems,
    );
  }
  const current = state.policies.find((p) => p.namespace === command.namespace);
  if (current?.semverPolicy === command.semverPolicy) return [];
  return [{ type: 'NamespacePolicySet', data: { namespace: command.namespace, semverPolicy: command.semverPolicy } }];
}

export const namespacePoliciesDecider: Decider<NamespacePoliciesState, NamespacePoliciesCommand, NamespacePoliciesEvent> = {
  initialState,
  // Decider types evolve's event as Pick<Event, 'type' | 'data'>; every event it is given is a
  // NamespacePolicySet (the store validated it against its schema on append).
  evolve: (state, event) => evolve(state, event as NamespacePoliciesEvent),
  decide,
};
