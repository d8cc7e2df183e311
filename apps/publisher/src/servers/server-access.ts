import { canPerform, type Principal, publishablePatterns } from '@toolport/auth';
import { ToolportError } from '@toolport/contracts';

/**
 * Namespace permission, checked on every write. The 403 names the patterns the caller may
 * publish to, as the official registry does, so a wrong namespace is obvious.
 */
export function assertMayWrite(principal: Principal, serverName: string, actions: ReadonlyArray<'publish' | 'edit'>): void {
  if (actions.some((action) => canPerform(principal, action, serverName))) return;
  const patterns = publishablePatterns(principal);
  throw new ToolportError(
    'forbidden',
    'NAMESPACE_FORBIDDEN',
    `You do not have permission to ${actions.includes('publish') ? 'publish' : 'edit'} ${serverName}. ` +
      (patterns.length > 0 ? `You may publish to: ${patterns.join(', ')}` : 'Your token grants no namespace: log in with a method that proves one (github, dns, http, oidc).'),
  );
}
