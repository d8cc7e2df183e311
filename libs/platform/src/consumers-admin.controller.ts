import { Body, Controller, Get, HttpCode, Inject, Logger, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, RequireRoles } from '@toolport/auth';
import type { PlatformConfig } from '@toolport/config';
import { EVENT_STORE, type EventStore } from '@toolport/event-store';
import { CONSUMER_REGISTRY, type ConsumerRegistry, type ConsumerStatus, type HaltActionRecorder } from '@toolport/messaging';
import type { FastifyRequest } from 'fastify';
import { commandContextFromRequest } from './command-context';
import { consumerAdminEvent, consumerStreamId, parseConsumerActionReason } from './consumer-admin-events';
import { PLATFORM_CONFIG } from './platform.module';

const REASON_BODY = {
  schema: { type: 'object', properties: { reason: { type: 'string', maxLength: 1000 } } },
};

/**
 * The explicit admin actions on a halted projection (DESIGN.md "Consumers"): resume it once the
 * cause is fixed, or skip the message it is stuck on. Addressed by consumer name
 * (`<service>-<purpose>`), which is also how the all-in-one launcher routes them. Each action is
 * recorded as an event in this service's own store (ConsumerResumed, ConsumerMessageSkipped:
 * shared types, stream `consumer-<name>`) before it takes effect, so the audit log sees it; if
 * the record cannot be written, nothing is skipped or resumed.
 */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin/consumers')
export class ConsumersAdminController {
  private readonly logger = new Logger('consumers-admin');

  constructor(
    @Inject(CONSUMER_REGISTRY) private readonly consumers: ConsumerRegistry,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  @Get(':name')
  @RequireRoles('admin', 'ops')
  @ApiOperation({ summary: 'State of one consumer (running, halted with the message it is stuck on, stopped)' })
  status(@Param('name') name: string): ConsumerStatus {
    return this.consumers.get(name).status();
  }

  @Post(':name/resume')
  @HttpCode(200)
  @RequireRoles('admin', 'ops')
  @ApiOperation({ summary: 'Retry the message a halted projection is stuck on, with a fresh attempt count (optional reason, recorded)' })
  @ApiBody({ ...REASON_BODY, required: false })
  async resume(@Param('name') name: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<ConsumerStatus> {
    const reason = parseConsumerActionReason(body, false);
    this.logger.warn({ msg: 'consumer resume requested', consumer: name, by: principal.actor.id });
    return this.consumers.resume(name, this.recorder('resume', name, reason, principal, request));
  }

  @Post(':name/skip')
  @HttpCode(200)
  @RequireRoles('admin')
  @ApiOperation({ summary: 'Skip the message a halted projection is stuck on (it is never applied); a reason is required and recorded' })
  @ApiBody({ schema: { ...REASON_BODY.schema, required: ['reason'] } })
  async skip(@Param('name') name: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<ConsumerStatus> {
    const reason = parseConsumerActionReason(body, true);
    this.logger.warn({ msg: 'consumer skip requested', consumer: name, by: principal.actor.id });
    return this.consumers.skip(name, this.recorder('skip', name, reason, principal, request));
  }

  private recorder(action: 'skip' | 'resume', consumer: string, reason: string | undefined, principal: Principal, request: FastifyRequest): HaltActionRecorder {
    return async (halted, stream) => {
      const event = consumerAdminEvent(action, { service: this.config.service, consumer, stream }, halted, reason);
      // Any version: admin actions on one consumer are serialised by the runner's halt already.
      await this.store.append(consumerStreamId(consumer), [event], { expectedVersion: 'any', context: commandContextFromRequest(request, principal.actor) });
    };
  }
}
