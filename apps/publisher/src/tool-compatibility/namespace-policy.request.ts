import { Type, type Static } from '@sinclair/typebox';
import { collectIssues, createAjv, type ErrorItem, ToolportError } from '@toolport/contracts';
import type { SetNamespacePolicy } from './namespace-policies.decide';

/**
 * Body of `PUT /api/v1/namespaces/policy`. The policy is an `enum` (not a union of literals) so a
 * wrong one yields one readable error instead of one per alternative; the pattern rules live in
 * the decider, where every command is checked whatever its origin.
 */
const SetNamespacePolicyBodySchema = Type.Object(
  {
    namespace: Type.String({ minLength: 1, maxLength: 256 }),
    semverPolicy: Type.Unsafe<SetNamespacePolicy['semverPolicy']>({ type: 'string', enum: ['enforce', 'warn', 'off'] }),
  },
  { additionalProperties: false },
);
type SetNamespacePolicyBody = Static<typeof SetNamespacePolicyBodySchema>;

const validateBody = createAjv().compile(SetNamespacePolicyBodySchema);

/** Checks the body's shape and turns it into the SetNamespacePolicy command; per-field errors otherwise. */
export function parseSetNamespacePolicyRequest(body: unknown): SetNamespacePolicy {
  const problems: ErrorItem[] = [];
  for (const issue of collectIssues(validateBody, body)) {
    const location = issue.path === '' ? 'body' : issue.path;
    if (!problems.some((p) => p.location === location)) problems.push({ location, message: issue.message });
  }
  if (problems.length > 0) {
    throw new ToolportError(
      'invalid',
      'NAMESPACE_POLICY_INVALID',
      `The namespace policy is invalid: ${problems.map((p) => `${p.location} ${p.message}`).join('; ')}`,
      problems,
    );
  }
  const valid = body as SetNamespacePolicyBody;
  return { type: 'SetNamespacePolicy', namespace: valid.namespace, semverPolicy: valid.semverPolicy };
}
