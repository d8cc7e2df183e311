import { canPerform, type Principal } from '@toolport/auth';
import { type Actor, ToolportError } from '@toolport/contracts';

export function parseJustification(body: unknown): string {
  const justification = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>).justification : undefined;
  if (typeof justification !== 'string' || justification.trim().length === 0) {
    throw new ToolportError('invalid', 'JUSTIFICATION_REQUIRED', 'a justification is required: send {"justification": "why"}', [
      { message: 'required non-empty string', location: 'body.justification' },
    ]);
  }
  return justification;
}

/**
 * Separation of duties only looks at explicit publish grants: admin's implicit right to do
 * everything would otherwise bar every admin from approving anything. An admin who holds an
 * explicit grant for the namespace, or who published the version, is barred like anyone else.
 */
export function reviewerConflicts(principal: Principal, serverName: string, publishedBy: Actor): { mayPublish: boolean; publishedIt: boolean } {
  return {
    mayPublish: canPerform({ roles: [], permissions: principal.permissions }, 'publish', serverName),
    publishedIt: publishedBy.kind === principal.actor.kind && publishedBy.id === principal.actor.id,
  };
}
