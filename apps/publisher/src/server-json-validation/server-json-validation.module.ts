import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { installRawValidateBody } from './validate-raw-body';
import { VALIDATE_ROUTES, ValidateController } from './validate.controller';

/** Runs at module init, after Nest registered its routes and before Fastify is ready (parsers are still open). */
@Injectable()
class RawValidateBodyInstaller implements OnModuleInit {
  constructor(@Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    installRawValidateBody(this.adapterHost.httpAdapter.getInstance<FastifyInstance>(), VALIDATE_ROUTES);
  }
}

/** `POST /v0/validate` and `/v0.1/validate`; the checks themselves are pure (validate-server-json.ts). */
@Module({ controllers: [ValidateController], providers: [RawValidateBodyInstaller] })
export class ServerJsonValidationModule {}
