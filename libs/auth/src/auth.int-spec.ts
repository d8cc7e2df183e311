import {
  type ArgumentsHost,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  HttpException,
  Module,
  Post,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, InjectOptions } from 'fastify';
import type { Pool } from 'pg';
import {
  ALL_EVENTS,
  EventRegistry,
  type EventOf,
  pgSchemaName,
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  type TokenRevoked,
  ToolportError,
} from '@toolport/contracts';
import {
  createPool,
  ensureDatabase,
  EVENT_STORE,
  eventStoreMigrations,
  PostgresEventStore,
  runMigrations,
  withTransaction,
} from '@toolport/event-store';
import { TEST_DATABASE_URL, testInstanceName } from '@toolport/testing';
import { CurrentPrincipal, Public, RequireAuth, RequireRoles } from './auth.decorators';
import { AuthModule, SIGNING_KEY } from './auth.module';
import type { Principal } from './principal';
import { applyTokenRevoked, RevocationChecker } from './revocation';
import { authMigrations, loadSigningKey, type SigningKey } from './signing-keys';
import { TokenService } from './tokens';
import { TokensModule } from './tokens/tokens.module';

const instance = testInstanceName('auth');
const authSchema = `${instance}_auth`;
const serviceSchema = pgSchemaName(instance, 'publisher');
const keySchemas = [`${instance}_keys_a`, `${instance}_keys_b`];
const AUDIENCE = 'http://toolport.test';
const ADMIN_KEY = 'test-admin-key-0123456789abcdef-0123456789';

/**
 * Renders ToolportError as problem+json, for this test only: the shared filter lives in
 * libs/platform, which this library does not depend on.
 */
@Catch()
class TestProblemFilter implements ExceptionFilter {
  private static readonly STATUS: Record<string, number> = {
    invalid: 400,
    unauthenticated: 401,
    forbidden: 403,
    not_found: 404,
    conflict: 409,
  };

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    let problem: ProblemDetails;
    if (error instanceof ToolportError) {
      const status = TestProblemFilter.STATUS[error.kind] ?? 500;
      problem = { title: error.kind, status, detail: error.detail, code: error.code, errors: error.errors };
    } else if (error instanceof HttpException) {
      problem = { title: error.message, status: error.getStatus(), detail: error.message };
    } else {
      problem = { title: 'Internal Server Error', status: 500, detail: String(error) };
    }
    void reply.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
  }
}

@Controller('things')
class ThingsController {
  @Get()
  list(@CurrentPrincipal() principal: Principal | null): { caller: string | null } {
    return { caller: principal?.subject ?? null };
  }

  @Get('mine')
  @RequireAuth()
  mine(@CurrentPrincipal() principal: Principal): { caller: string } {
    return { caller: principal.subject };
  }

  @Post()
  create(@CurrentPrincipal() principal: Principal): { createdBy: Principal['actor'] } {
    return { createdBy: principal.actor };
  }

  @Post('open')
  @Public()
  open(): { open: true } {
    return { open: true };
  }

  @Post('admin')
  @RequireRoles('admin')
  adminOnly(@CurrentPrincipal() principal: Principal): { admin: string } {
    return { admin: principal.subject };
  }
}

describe('auth against Postgres and a Fastify Nest app', () => {
  let pool: Pool;
  let app: NestFastifyApplication;
  let store: PostgresEventStore;
  let key: SigningKey;
  const extraPools: Pool[] = [];

  beforeAll(async () => {
    await ensureDatabase(TEST_DATABASE_URL);
    pool = createPool(TEST_DATABASE_URL, { applicationName: 'auth-int-spec' });
    await runMigrations(pool, serviceSchema, eventStoreMigrations);
    store = new PostgresEventStore({ pool, schema: serviceSchema, registry: new EventRegistry(ALL_EVENTS) });

    @Module({ providers: [{ provide: EVENT_STORE, useValue: store }], exports: [EVENT_STORE] })
    class EventStoreModule {}

    @Module({
      imports: [
        AuthModule.forRoot({ audience: AUDIENCE, adminKey: ADMIN_KEY, pool, authSchema, serviceSchema }),
        TokensModule.forRoot({ imports: [EventStoreModule] }),
      ],
      controllers: [ThingsController],
    })
    class TestAppModule {}

    app = await NestFactory.create<NestFastifyApplication>(TestAppModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
    app.useGlobalFilters(new TestProblemFilter());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    key = app.get<SigningKey>(SIGNING_KEY);
  });

  afterAll(async () => {
    await app?.close();
    await Promise.all(extraPools.map((p) => p.end()));
    if (pool) {
      for (const schema of [authSchema, serviceSchema, ...keySchemas]) await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    }
  });

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token?: string, payload?: object) => {
    const options: InjectOptions = { method, url, headers: token ? { authorization: `Bearer ${token}` } : {} };
    if (payload !== undefined) options.payload = payload;
    return app.inject(options);
  };

  const issue = (roles: Principal['roles'], clock?: () => Date) =>
    new TokenService({ key, audience: AUDIENCE, ...(clock ? { clock } : {}) }).issue({
      subject: `robot-${roles.join('-')}`,
      roles,
      permissions: [],
      authMethod: 'api-token',
      expiresAt: new Date((clock ?? (() => new Date()))().getTime() + 3600_000),
    });

  function expectProblem(response: Awaited<ReturnType<typeof call>>, status: number, code: string, detail: RegExp): void {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
    const body = response.json<ProblemDetails>();
    expect(body).toMatchObject({ status, code });
    expect(body.detail).toMatch(detail);
  }

  it('lets anyone read, and tells a reader with a token who they are', async () => {
    expect((await call('GET', '/things')).json()).toEqual({ caller: null });
    const { token } = await issue(['reader']);
    expect((await call('GET', '/things', token)).json()).toEqual({ caller: 'robot-reader' });
  });

  it('refuses a write without a token: 401 TOKEN_MISSING with WWW-Authenticate: Bearer', async () => {
    const response = await call('POST', '/things');
    expectProblem(response, 401, 'TOKEN_MISSING', /needs a bearer token/);
    expect(response.headers['www-authenticate']).toBe('Bearer');
    expectProblem(await call('GET', '/things/mine'), 401, 'TOKEN_MISSING', /Authorization: Bearer/);
  });

  it('lets @Public writes through without a token', async () => {
    const response = await call('POST', '/things/open');
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ open: true });
  });

  it('accepts a valid token on a write and records its actor', async () => {
    const { token } = await issue(['publisher']);
    const response = await call('POST', '/things', token);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ createdBy: { kind: 'token', id: 'robot-publisher' } });
    expect((await call('GET', '/things/mine', token)).json()).toEqual({ caller: 'robot-publisher' });
  });

  it('refuses an expired token with 401 TOKEN_EXPIRED, also on a public read', async () => {
    const { token } = await issue(['admin'], () => new Date(Date.now() - 2 * 3600_000));
    const response = await call('POST', '/things/admin', token);
    expectProblem(response, 401, 'TOKEN_EXPIRED', /expired at/);
    expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expectProblem(await call('GET', '/things', token), 401, 'TOKEN_EXPIRED', /get a new one/);
  });

  it('refuses a tampered token with 401 TOKEN_INVALID', async () => {
    const { token } = await issue(['reader']);
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'x', roles: ['admin'], exp: 9999999999 })).toString('base64url');
    expectProblem(await call('POST', '/things/admin', `${header}.${forged}.${signature}`), 401, 'TOKEN_INVALID', /signature/);
  });

  it('refuses a token without the required role: 403 naming the role', async () => {
    const { token } = await issue(['publisher']);
    expectProblem(await call('POST', '/things/admin', token), 403, 'ROLE_REQUIRED', /needs the role 'admin'; the token has 'publisher'/);
  });

  it('accepts the bootstrap admin key as admin, and an admin token', async () => {
    expect((await call('POST', '/things/admin', ADMIN_KEY)).json()).toEqual({ admin: 'bootstrap-admin' });
    const { token } = await issue(['admin']);
    expect((await call('POST', '/things/admin', token)).statusCode).toBe(201);
    expectProblem(await call('POST', '/things/admin', `${ADMIN_KEY}x`), 401, 'TOKEN_INVALID', /not valid/);
  });

  it('issues an API token over HTTP, then revokes it: 401 TOKEN_REVOKED once the revocation is projected', async () => {
    const created = await call('POST', '/api/v1/tokens', ADMIN_KEY, {
      subject: 'ci-bot',
      roles: ['publisher'],
      namespaces: ['io.github.acme/*'],
      expiresIn: '1d',
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const body = created.json<{ id: string; token: string; expiresAt: string; permissions: unknown }>();
    expect(body).toMatchObject({ subject: 'ci-bot', roles: ['publisher'], permissions: [{ action: 'publish', resource: 'io.github.acme/*' }] });
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(86_390_000);

    const [issuedEvent] = await store.readStream(`token-${body.id}`);
    expect(issuedEvent).toMatchObject({ type: 'TokenIssued', metadata: { actor: { kind: 'token', id: 'bootstrap-admin' } } });
    expect(JSON.stringify(issuedEvent)).not.toContain(body.token);

    expect((await call('POST', '/things', body.token)).statusCode).toBe(201);
    // A robot token cannot issue tokens itself.
    expectProblem(await call('POST', '/api/v1/tokens', body.token, { subject: 'x', roles: ['admin'] }), 403, 'ROLE_REQUIRED', /'admin'/);

    const deleted = await call('DELETE', `/api/v1/tokens/${body.id}?reason=leaked`, ADMIN_KEY);
    expect(deleted.statusCode).toBe(204);
    expect((await call('DELETE', `/api/v1/tokens/${body.id}`, ADMIN_KEY)).statusCode).toBe(204);
    const events = await store.readStream(`token-${body.id}`);
    expect(events.map((e) => e.type)).toEqual(['TokenIssued', 'TokenRevoked']);
    expect(JSON.stringify(events)).not.toContain(body.token);

    // Not applied yet: the token still works (and this "not revoked" answer must not be cached).
    expect((await call('POST', '/things', body.token)).statusCode).toBe(201);
    const revokedEvent = events[1] as unknown as EventOf<typeof TokenRevoked>;
    await withTransaction(pool, (tx) => applyTokenRevoked(tx, serviceSchema, revokedEvent));
    await withTransaction(pool, (tx) => applyTokenRevoked(tx, serviceSchema, revokedEvent));
    const refused = await call('POST', '/things', body.token);
    expectProblem(refused, 401, 'TOKEN_REVOKED', /revoked/);
    expect(refused.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expectProblem(await call('GET', '/things', body.token), 401, 'TOKEN_REVOKED', /get a new one/);
  });

  it('answers token API errors as problem+json with per-field errors', async () => {
    const invalid = await call('POST', '/api/v1/tokens', ADMIN_KEY, { subject: 'bot', roles: ['wizard'], expiresIn: '365d' });
    expectProblem(invalid, 400, 'TOKEN_REQUEST_INVALID', /roles\[0\]/);
    expect(invalid.json<ProblemDetails>().errors).toEqual([{ location: 'roles[0]', message: 'must be equal to one of the allowed values' }]);

    const tooLong = await call('POST', '/api/v1/tokens', ADMIN_KEY, { subject: 'bot', roles: ['reader'], expiresIn: '365d' });
    expectProblem(tooLong, 400, 'TOKEN_REQUEST_INVALID', /expiresAt must be at most 90 days after issue/);

    expectProblem(await call('DELETE', '/api/v1/tokens/0196b3e0-0000-7000-8000-000000000001', ADMIN_KEY), 404, 'TOKEN_NOT_FOUND', /does not exist/);
    expectProblem(await call('DELETE', '/api/v1/tokens/nope', ADMIN_KEY), 404, 'TOKEN_NOT_FOUND', /does not exist/);
    expectProblem(await call('DELETE', '/api/v1/tokens/nope'), 401, 'TOKEN_MISSING', /bearer token/);
  });

  it('purges revocations of expired tokens and stops answering them as revoked', async () => {
    const checker = new RevocationChecker({ pool, schema: serviceSchema });
    await withTransaction(pool, (tx) =>
      applyTokenRevoked(tx, serviceSchema, {
        data: { tokenId: 'old-token', expiresAt: new Date(Date.now() - 1000).toISOString() },
        metadata: { occurredAt: new Date(Date.now() - 5000).toISOString() } as EventOf<typeof TokenRevoked>['metadata'],
      }),
    );
    expect(await checker.isRevoked('old-token')).toBe(true);
    expect(await checker.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await checker.isRevoked('old-token')).toBe(false);
    expect(await checker.isRevoked('never-revoked')).toBe(false);
  });

  it('generates the signing key once and every later start (another process) reuses it', async () => {
    const other = createPool(TEST_DATABASE_URL);
    extraPools.push(other);
    const again = await loadSigningKey({ pool: other, schema: authSchema });
    expect(again.source).toBe('stored');
    expect(again.kid).toBe(key.kid);
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${authSchema}.signing_keys`)).rows[0]).toEqual({ n: 1 });

    const [schema] = keySchemas as [string];
    const first = createPool(TEST_DATABASE_URL);
    const second = createPool(TEST_DATABASE_URL);
    extraPools.push(first, second);
    await runMigrations(first, schema, authMigrations);
    const generated = await loadSigningKey({ pool: first, schema });
    const reused = await loadSigningKey({ pool: second, schema });
    expect(generated.source).toBe('generated');
    expect(reused.source).toBe('stored');
    expect(reused.kid).toBe(generated.kid);
    expect(reused.publicJwk).toEqual(generated.publicJwk);
    // A token signed by one process verifies in the other.
    const signed = await new TokenService({ key: generated, audience: 'x' }).issue({
      subject: 's',
      roles: ['reader'],
      permissions: [],
      authMethod: 'api-token',
      expiresAt: new Date(Date.now() + 60_000),
    });
    await expect(new TokenService({ key: reused, audience: 'x' }).verify(signed.token)).resolves.toMatchObject({ subject: 's' });
  });

  it('yields one key when three processes start at once on an empty schema', async () => {
    const schema = keySchemas[1]!;
    const pools = [createPool(TEST_DATABASE_URL), createPool(TEST_DATABASE_URL), createPool(TEST_DATABASE_URL)];
    extraPools.push(...pools);
    await Promise.all(pools.map((p) => runMigrations(p, schema, authMigrations)));
    // Connections are open, so the three loads reach Postgres together: all find no key, all insert.
    const keys = await Promise.all(pools.map((p) => loadSigningKey({ pool: p, schema })));
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
    expect(keys.map((k) => k.source).sort()).toEqual(['generated', 'stored', 'stored']);
    expect((await pool.query(`SELECT count(*)::int AS n FROM ${schema}.signing_keys`)).rows[0]).toEqual({ n: 1 });
  });
});
