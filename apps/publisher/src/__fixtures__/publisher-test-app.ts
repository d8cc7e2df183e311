import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { buildService } from '@toolport/platform';
import { destroyInstance, testEnv, testInstanceName } from '@toolport/testing';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { publisherService } from '../service';

/** A real publisher (real Postgres, NATS, Redis) on its own TOOLPORT_INSTANCE, for HTTP tests. */
export interface PublisherTestApp {
  app: NestFastifyApplication;
  instance: string;
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  anonymousToken(): Promise<string>;
  close(): Promise<void>;
}

export async function startPublisher(label: string, env: Record<string, string> = {}): Promise<PublisherTestApp> {
  const instance = testInstanceName(label);
  const config = publisherService.loadConfig(
    testEnv(instance, { TOOLPORT_AUTH_ANONYMOUS: 'true', TOOLPORT_VERIFY_PACKAGES: 'false', TOOLPORT_RATE_LIMIT_IP_PER_MINUTE: '0', TOOLPORT_RATE_LIMIT_TOKEN_PER_MINUTE: '0', ...env }),
  );
  const { app } = await buildService(publisherService, config);
  return {
    app,
    instance,
    request: (options) => app.inject(options),
    async anonymousToken() {
      const response = await app.inject({ method: 'POST', url: '/v0/auth/none' });
      if (response.statusCode !== 200) throw new Error(`anonymous login failed: ${response.statusCode} ${response.body}`);
      return response.json<{ registry_token: string }>().registry_token;
    },
    async close() {
      await app.close();
      await destroyInstance(instance);
    },
  };
}

const EXAMPLES_DIR = path.resolve(__dirname, '../../../../libs/contracts/src/server-json/__fixtures__/valid');

/** The official examples, renamed into the anonymous namespace as upstream's own integration test does. */
export function officialExamples(): Array<{ file: string; server: Record<string, unknown> & { name: string; version: string } }> {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const server = JSON.parse(readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as Record<string, unknown> & { name: string; version: string };
      return { file, server: { ...server, name: `io.modelcontextprotocol.anonymous/${server.name.split('/')[1]}` } };
    });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The smallest valid server.json for `name`@`version`, with `extra` fields on top. */
export const serverJson = (name: string, version: string, extra: Record<string, unknown> = {}) => ({
  $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
  name,
  description: 'A test server',
  version,
  ...extra,
});
