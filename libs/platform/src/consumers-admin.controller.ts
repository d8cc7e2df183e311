import { Controller, Get, HttpCode, Inject, Logger, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, RequireRoles } from '@toolport/auth';
import { CONSUMER_REGISTRY, type ConsumerRegistry, type ConsumerStatus } from '@toolport/messaging';

/**
 * The explicit admin actions on a halted projection (DESIGN.md "Consumers"): resume it once the
 * cause is fixed, or skip the message it is stuck on. Addressed by consumer name
 * (`<service>-<purpose>`), which is also how the all-in-one launcher routes them.
 */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/v1/admin/consumers')
export class ConsumersAdminController {
  private readonly logger = new Logger('consumers-admin');

  constructor(@Inject(CONSUMER_REGISTRY) private readonly consumers: ConsumerRegistry) {}

  @Get(':name')
  @RequireRoles('admin', 'ops')
  @ApiOperation({ summary: 'State of one consumer (running, halted with the message it is stuck on, stopped)' })
  status(@Param('name') name: string): ConsumerStatus {
    return this.consumers.get(name).status();
  }

  @Post(':name/resume')
  @HttpCode(200)
  @RequireRoles('admin', 'ops')
  @ApiOperation({ summary: 'Retry the message a halted projection is stuck on, with a fresh attempt count' })
  async resume(@Param('name') name: string, @CurrentPrincipal() principal: Principal): Promise<ConsumerStatus> {
    this.logger.warn({ msg: 'consumer resume requested', consumer: name, by: principal.actor.id });
    return this.consumers.resume(name);
  }

  @Post(':name/skip')
  @HttpCode(200)
  @RequireRoles('admin')
  @ApiOperation({ summary: 'Skip the message a halted projection is stuck on (it is never applied)' })
  async skip(@Param('name') name: string, @CurrentPrincipal() principal: Principal): Promise<ConsumerStatus> {
    this.logger.warn({ msg: 'consumer skip requested', consumer: name, by: principal.actor.id });
    return this.consumers.skip(name);
  }
}
