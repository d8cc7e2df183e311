import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Role } from './permissions';
import type { Principal } from './principal';

export const AUTH_RULE = 'toolport:auth-rule';

/** What a route demands; routes without a rule follow the method default (see AuthGuard). */
export type AuthRule = { kind: 'public' } | { kind: 'authenticated' } | { kind: 'roles'; roles: readonly Role[] };

/** The request as the guard leaves it. */
export interface AuthenticatedRequest {
  principal?: Principal | null;
}

/** No token needed, even for a write (token exchange, validate). A token that is sent is still checked. */
export const Public = (): ClassDecorator & MethodDecorator => SetMetadata(AUTH_RULE, { kind: 'public' } satisfies AuthRule);

/** A valid token is needed, even for a read. */
export const RequireAuth = (): ClassDecorator & MethodDecorator =>
  SetMetadata(AUTH_RULE, { kind: 'authenticated' } satisfies AuthRule);

/** A valid token holding one of `roles` is needed (admin holds every role). */
export const RequireRoles = (...roles: [Role, ...Role[]]): ClassDecorator & MethodDecorator => {
  if (roles.length === 0) throw new Error('@RequireRoles() needs at least one role');
  return SetMetadata(AUTH_RULE, { kind: 'roles', roles } satisfies AuthRule);
};

/** The caller's Principal, or null on a public route called without a token. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | null =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal ?? null,
);
