import type { DataOf, NamespacePolicySet } from '@toolport/contracts';
import type { NewEvent } from '@toolport/event-store';
import { byCodeUnit } from './json-schema';
import type { NamespacePolicy } from './compatibility';

/**
 * Every namespace's semver policy, in ONE stream: there are few (one per team namespace at
 * most), and each publish reads them all to find the most specific match, so one short stream
 * read beats a lookup per pattern.
 */
export const NAMESPACE_POLICIES_STREAM = 'namespace-policies';

export type NamespacePoliciesEvent = NewEvent<'NamespacePolicySet', DataOf<typeof NamespacePolicySet>>;

export interface NamespacePoliciesState {
  /** One entry per namespace pattern, sorted by pattern (code units) so every reader sees the same order. */
  policies: NamespacePolicy[];
}

export const initialState = (): NamespacePoliciesState => ({ policies: [] });

export function evolve(state: NamespacePoliciesState, event: NamespacePoliciesEvent): NamespacePoliciesState {
  switch (event.type) {
    case 'NamespacePolicySet': {
      const { namespace, semverPolicy } = event.data;
      const others = state.policies.filter((p) => p.namespace !== namespace);
      return { policies: [...others, { namespace, semverPolicy }].sort((a, b) => byCodeUnit(a.namespace, b.namespace)) };
    }
  }
}
