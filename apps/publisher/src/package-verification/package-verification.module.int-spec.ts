import 'reflect-metadata';
import { Inject, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ServerDetail } from '@toolport/contracts';
import { SERVER_NAME, optionsFrom } from './__fixtures__/package-check';
import { type LoopbackServer, sendJson, startLoopbackServer } from '@toolport/testing';
import { InMemoryPackageFetcher, NodeHttpFetcher } from '@toolport/platform';
import { PACKAGE_FETCHER, PackageVerificationModule } from './package-verification.module';
import { PACKAGE_VERIFICATION_USER_AGENT, type PackageVerificationOptions } from './package-verification.config';
import { PackageVerifier } from './package-verifier';

/** Stands in for the publish controller: a feature module that injects PackageVerifier without importing its module. */
@Injectable()
class Publishing {
  constructor(@Inject(PackageVerifier) readonly verifier: PackageVerifier) {}
}
@Module({ providers: [Publishing] })
class PublishingModule {}

let npm: LoopbackServer;

beforeAll(async () => {
  npm = await startLoopbackServer((request, response) => {
    if (request.url === '/thing/1.0.0') return sendJson(response, 200, { name: 'thing', version: '1.0.0', mcpName: SERVER_NAME });
    if (request.url === '/slow/1.0.0') return; // never answers
    sendJson(response, 404, { error: 'not found' });
  });
});

afterAll(async () => {
  await npm.close();
});

async function withApp<T>(options: PackageVerificationOptions, use: (publishing: Publishing, fetcher: unknown) => Promise<T>, fetcher?: InMemoryPackageFetcher): Promise<T> {
  @Module({ imports: [PackageVerificationModule.forRoot(options, fetcher), PublishingModule] })
  class AppModule {}
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  try {
    return await use(app.get(Publishing), app.get(PACKAGE_FETCHER));
  } finally {
    await app.close();
  }
}

const server = (identifier: string): ServerDetail => ({
  name: SERVER_NAME,
  description: 'x',
  version: '1.0.0',
  packages: [{ registryType: 'npm', identifier, version: '1.0.0', transport: { type: 'stdio' } }],
});

describe('PackageVerificationModule', () => {
  it('gives feature modules a PackageVerifier over the real fetcher, with the configured timeout and User-Agent', async () => {
    const options = optionsFrom({ TOOLPORT_NPM_REGISTRY_URL: npm.url, TOOLPORT_VERIFY_TIMEOUT_MS: '300' });
    await withApp(options, async (publishing, fetcher) => {
      expect(fetcher).toBeInstanceOf(NodeHttpFetcher);
      await expect(publishing.verifier.verify(server('thing'))).resolves.toEqual([]);
      expect(npm.requests.at(-1)?.headers['user-agent']).toBe(PACKAGE_VERIFICATION_USER_AGENT);
      const [timeout] = await publishing.verifier.verify(server('slow'));
      expect(timeout).toMatchObject({ path: 'packages[0]', severity: 'error', retryable: true });
      expect(timeout?.message).toBe(`Could not verify NPM package 'slow@1.0.0' at ${npm.url}: ${npm.url}/slow/1.0.0 did not answer within 300 ms. Try again later.`);
    });
  });

  it('uses a fetcher handed to forRoot instead (tests)', async () => {
    const twin = new InMemoryPackageFetcher().on('https://registry.npmjs.org/thing/1.0.0', { body: { mcpName: 'io.github.other/x' } });
    await withApp(
      optionsFrom(),
      async (publishing, fetcher) => {
        expect(fetcher).toBe(twin);
        const [issue] = await publishing.verifier.verify(server('thing'));
        expect(issue?.message).toContain("got 'io.github.other/x'");
      },
      twin,
    );
  });
});
