import { Inject, Injectable, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ToolportError } from '@toolport/contracts';
import { AuthFailureMonitor } from './auth-failures/auth-failure-monitor';
import { authErrors } from './auth-errors';
import { AUTH_RULE, type AuthenticatedRequest, type AuthRule } from './auth.decorators';
import { Authenticator, parseBearer } from './authenticator';
import { hasAnyRole } from './permissions';
import type { Principal } from './principal';

/** Methods that do not change state (RFC 9110 §9.2.1) are readable without a token by default. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

interface HttpRequest extends AuthenticatedRequest {
  method: string;
  /** Fastify's client address (behind trusted proxies, the forwarded one). */
  ip?: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Fastify's reply and Express's response both have `header(name, value)`; Node's has `setHeader`. */
interface HttpResponse {
  header?: (name: string, value: string) => unknown;
  setHeader?: (name: string, value: string) => unknown;
}

/**
 * "Tokens and roles on every write": reads are public unless a route says @RequireAuth or
 * @RequireRoles, everything else needs a valid token unless it says @Public. A token sent to a
 * public route is still verified, so a read can show more to those allowed more, and a bad
 * token is reported rather than silently ignored (as GitHub's API does).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(Authenticator) private readonly authenticator: Authenticator,
    /** Counts refused authentications into burst events; absent when detection is off. */
    @Optional() @Inject(AuthFailureMonitor) private readonly failures: AuthFailureMonitor | null = null,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const rule =
      this.reflector.getAllAndOverride<AuthRule | undefined>(AUTH_RULE, [context.getHandler(), context.getClass()]) ??
      defaultRule(request.method);
    try {
      request.principal = await this.principalFor(request, rule);
    } catch (error) {
      if (error instanceof ToolportError && error.kind === 'unauthenticated') {
        challenge(context.switchToHttp().getResponse<HttpResponse>(), error);
        await this.failures?.observe({ ip: request.ip, token: bearerOrNull(request.headers['authorization']), error });
      }
      throw error;
    }
    return true;
  }

  private async principalFor(request: HttpRequest, rule: AuthRule): Promise<Principal | null> {
    const token = parseBearer(request.headers['authorization']);
    if (token === null) {
      if (rule.kind === 'public') return null;
      throw authErrors.tokenMissing();
    }
    const principal = await this.authenticator.authenticate(token);
    if (rule.kind === 'roles' && !hasAnyRole(principal, rule.roles)) throw authErrors.missingRole(rule.roles, principal.roles);
    return principal;
  }
}

/** The presented token for its claims only; a header parseBearer refused has none. */
function bearerOrNull(header: string | string[] | undefined): string | null {
  try {
    return parseBearer(header);
  } catch {
    return null;
  }
}

function defaultRule(method: string): AuthRule {
  return SAFE_METHODS.has(method.toUpperCase()) ? { kind: 'public' } : { kind: 'authenticated' };
}

/** RFC 6750 §3: a 401 names the scheme, and says `invalid_token` when a token was sent but refused. */
function challenge(response: HttpResponse, error: ToolportError): void {
  const value = error.code === 'TOKEN_MISSING' ? 'Bearer' : 'Bearer error="invalid_token"';
  if (typeof response.header === 'function') response.header('WWW-Authenticate', value);
  else if (typeof response.setHeader === 'function') response.setHeader('WWW-Authenticate', value);
}
