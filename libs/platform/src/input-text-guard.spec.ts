import { Body, Controller, Get, Module, Param, Post, Query } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readPlatformConfig } from '@toolport/config';
import { findUnstorableText, unstorableCharacterIn } from './input-text-guard';
import { createServiceApp } from './service-app';

@Controller('echo')
class EchoController {
  @Get(':name')
  get(@Param('name') name: string, @Query() query: Record<string, unknown>): unknown {
    return { name, query };
  }

  @Post()
  post(@Body() body: unknown): unknown {
    return { body };
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

describe('unstorableCharacterIn', () => {
  it('finds a NUL and an unpaired surrogate, and nothing in other text', () => {
    expect(unstorableCharacterIn('a\u0000b')).toBe('nul');
    expect(unstorableCharacterIn('a\ud800b')).toBe('unpaired-surrogate');
    expect(unstorableCharacterIn('\udc00')).toBe('unpaired-surrogate');
    expect(unstorableCharacterIn('tab\t bell\u0007 emoji \ud83d\ude00 é')).toBeNull();
  });
});

describe('findUnstorableText', () => {
  it('names the first fault by its JSON path, property names included', () => {
    expect(findUnstorableText({ a: [{ b: 'ok' }, { 'c.d': 'x\u0000' }] }, 'body')?.detail).toBe('body.a[1]["c.d"] contains a NUL character (U+0000), which is not allowed');
    expect(findUnstorableText({ ['k\u0000']: 1 }, 'body')?.errors).toEqual([{ location: 'body["k\\u0000"]', message: 'contains a NUL character (U+0000), which is not allowed' }]);
    expect(findUnstorableText('\ud800', 'body')?.detail).toBe('body contains an unpaired UTF-16 surrogate, which is not valid Unicode text');
    expect(findUnstorableText({ a: [1, true, null, 'fine'] }, 'body')).toBeNull();
  });

  it('walks nesting deeper than the call stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}"\\u0000"${']'.repeat(100_000)}`) as unknown;
    expect(findUnstorableText(deep, 'body')?.kind).toBe('invalid');
  });

  it('leaves objects that are not plain data to their handler', () => {
    class RawBody {
      constructor(readonly text: string) {}
    }
    expect(findUnstorableText(new RawBody('\u0000'), 'body')).toBeNull();
  });
});

describe('the input text guard of every service app', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    ({ app } = await createServiceApp({ module: EchoModule }, readPlatformConfig({}, 'catalog', 0), { shutdownHooks: false, logLevel: 'error' }));
  });

  afterAll(async () => {
    await app?.close();
  });

  it.each([
    ['/echo/a%00b', 'path.name'],
    ['/echo/a?q=x%00', 'query.q'],
    ['/echo/a?q=ok&q=%00', 'query.q[1]'],
    ['/echo/a?%00=1', 'query["\\u0000"]'],
  ])('refuses GET %s with a 400 problem+json naming %s', async (url, location) => {
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 400, code: 'INVALID_CHARACTER', detail: `${location} contains a NUL character (U+0000), which is not allowed`, errors: [{ location }] });
  });

  it('refuses a JSON body holding a NUL or an unpaired surrogate, before the handler', async () => {
    const nul = await app.inject({ method: 'POST', url: '/echo', payload: { items: ['ok', { note: 'x\u0000' }] } });
    expect(nul.json()).toMatchObject({ status: 400, errors: [{ location: 'body.items[1].note' }] });
    const surrogate = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"note":"\\udc00"}' });
    expect(surrogate.json()).toMatchObject({ status: 400, errors: [{ location: 'body.note', message: 'contains an unpaired UTF-16 surrogate, which is not valid Unicode text' }] });
  });

  it('refuses a form-encoded body holding a NUL too', async () => {
    const response = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'status=deprecated&statusMessage=%00' });
    expect(response.json()).toMatchObject({ status: 400, errors: [{ location: 'body.statusMessage' }] });
  });

  it('passes everything else as before, an unknown route stays a 404', async () => {
    expect((await app.inject({ method: 'GET', url: '/echo/a%2500?q=%F0%9F%98%80' })).json()).toEqual({ name: 'a%00', query: { q: '😀' } });
    expect((await app.inject({ method: 'POST', url: '/echo', payload: { note: 'tab\t emoji \ud83d\ude00' } })).statusCode).toBe(201);
    expect((await app.inject({ method: 'GET', url: '/nothing?q=%00' })).statusCode).toBe(404);
  });
});
