import type { Server } from 'node:http';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { createLogger, JsonNestLogger } from '@toolport/observability';
import type { FastifyServerFactory } from 'fastify';
import { describeTrustProxy, type PlatformConfig } from '@toolport/config';
import { ProblemDetailsFilter } from './problem-details.filter';
import { installInputTextGuard } from './input-text-guard';
import { installRateLimit, type RateLimiter } from './rate-limit';
import { installRequestTracing } from './tracing.hook';

export interface ServiceAppOptions {
  /** The launcher passes one so five services share one HTTP server (see apps/toolport). */
  serverFactory?: FastifyServerFactory<Server>;
  /** Tests may silence logs below this level. */
  logLevel?: string;
  /**
   * Close the app on SIGTERM/SIGINT (default true). The launcher turns it off and closes its
   * five apps itself, in order: otherwise each app would also react to the signal on its own.
   */
  shutdownHooks?: boolean;
  /** Write limits per IP and token (see rate-limit.ts); none when absent. */
  rateLimiter?: RateLimiter;
}

export interface ServiceApp {
  app: NestFastifyApplication;
  openApi: OpenAPIObject;
}

/**
 * One service as a Nest application on Fastify: JSON logs, problem+json for every error,
 * body-size limit, no text PostgreSQL cannot store in the input (input-text-guard.ts), OpenAPI
 * at /docs, graceful shutdown. Not listening yet: callers decide.
 */
export async function createServiceApp(root: DynamicModule, config: PlatformConfig, options: ServiceAppOptions = {}): Promise<ServiceApp> {
  const logger = createLogger({ service: config.service, level: options.logLevel ?? config.logLevel });
  if (config.trustProxy === true) logger.warn(`TOOLPORT_TRUST_PROXY=true: ${describeTrustProxy(true)}; only safe behind a proxy that overwrites the header`);
  else if (config.trustProxy !== false) logger.info(`TOOLPORT_TRUST_PROXY: ${describeTrustProxy(config.trustProxy)}`);
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // Server names arrive URL-encoded in one path segment and may be long (official limit: 200).
    routerOptions: { maxParamLength: 1000 },
    // TOOLPORT_TRUST_PROXY (default false): request.ip, which the rate limiter and the
    // failed-authentication bursts count by, comes from X-Forwarded-For only through trusted hops.
    trustProxy: config.trustProxy,
    ...(options.serverFactory ? { serverFactory: options.serverFactory } : {}),
  });
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, {
    logger: new JsonNestLogger(logger),
    abortOnError: false,
  });
  app.useGlobalFilters(new ProblemDetailsFilter());
  installRequestTracing(app.getHttpAdapter().getInstance());
  if (options.rateLimiter) installRateLimit(app.getHttpAdapter().getInstance(), options.rateLimiter);
  // Before app.init(): the hooks modules add at init (the catalog's answer caches) run after it.
  installInputTextGuard(app.getHttpAdapter().getInstance());
  if (options.shutdownHooks !== false) app.enableShutdownHooks();
  app.enableCors({ origin: '*', methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'], allowedHeaders: '*' });

  const openApi = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Toolport ${config.service}`)
      .setDescription(`The ${config.service} service of Toolport, a self-hosted registry for MCP servers.`)
      .setVersion(config.version)
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, openApi, { jsonDocumentUrl: 'docs/json', yamlDocumentUrl: 'docs/yaml' });
  await app.init();
  // Nest readies Fastify only in listen(); the launcher calls the handler without listen().
  await app.getHttpAdapter().getInstance().ready();
  return { app, openApi };
}
