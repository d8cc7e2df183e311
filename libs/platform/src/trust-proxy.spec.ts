import { Controller, Get, Module, Req } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readPlatformConfig } from '@toolport/config';
import type { FastifyRequest } from 'fastify';
import { createServiceApp } from './service-app';

// The client IP the services count by (rate limits, failed-authentication bursts) is Fastify's
// request.ip; TOOLPORT_TRUST_PROXY decides whether X-Forwarded-For may change it.
@Controller('whoami')
class WhoAmIController {
  @Get()
  ip(@Req() request: FastifyRequest): { ip: string } {
    return { ip: request.ip };
  }
}

@Module({ controllers: [WhoAmIController] })
class WhoAmIModule {}

async function ipSeen(env: Record<string, string>, remoteAddress: string, forwardedFor: string): Promise<string> {
  const config = readPlatformConfig(env, 'catalog', 0);
  const { app } = await createServiceApp({ module: WhoAmIModule }, config, { shutdownHooks: false, logLevel: 'error' });
  try {
    const response = await (app as NestFastifyApplication).inject({ method: 'GET', url: '/whoami', remoteAddress, headers: { 'x-forwarded-for': forwardedFor } });
    expect(response.statusCode).toBe(200);
    return response.json<{ ip: string }>().ip;
  } finally {
    await app.close();
  }
}

describe('client IP behind proxies (TOOLPORT_TRUST_PROXY)', () => {
  it('ignores X-Forwarded-For by default: a client cannot choose its address', async () => {
    expect(await ipSeen({}, '198.51.100.9', '192.0.2.77')).toBe('198.51.100.9');
  });

  it('believes X-Forwarded-For from a listed proxy only', async () => {
    const env = { TOOLPORT_TRUST_PROXY: '10.0.0.0/8' };
    expect(await ipSeen(env, '10.1.2.3', '192.0.2.77')).toBe('192.0.2.77');
    expect(await ipSeen(env, '198.51.100.9', '192.0.2.77')).toBe('198.51.100.9');
  });

  it('with a hop count, takes the address that many hops back, not what the client put first', async () => {
    expect(await ipSeen({ TOOLPORT_TRUST_PROXY: '1' }, '10.1.2.3', '203.0.113.5, 192.0.2.77')).toBe('192.0.2.77');
  });

  it('with true, believes every hop (only safe behind a proxy that overwrites the header)', async () => {
    expect(await ipSeen({ TOOLPORT_TRUST_PROXY: 'true' }, '198.51.100.9', '203.0.113.5, 192.0.2.77')).toBe('203.0.113.5');
  });
});
