import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { collectDefaultMetricsOnce, renderMetrics } from '@toolport/observability';
import type { FastifyReply } from 'fastify';
import { ReadinessRegistry } from './readiness';

/**
 * Liveness (`/healthz`: the process answers), readiness (`/readyz`: its dependencies answer,
 * with a detail per check) and Prometheus metrics (`/metrics`). Unauthenticated by design:
 * orchestrators and scrapers call them; they reveal no secrets.
 */
@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(@Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry) {
    // Memory, heap, GC pauses and event-loop lag of the process serving /metrics: what ops look
    // at first when latency climbs (they were never registered before 2026-11-21).
    collectDefaultMetricsOnce();
  }

  @Get('healthz')
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(@Res() reply: FastifyReply): Promise<void> {
    const report = await this.readiness.report();
    void reply.status(report.status === 'ready' ? 200 : 503).send(report);
  }

  @Get('metrics')
  async metrics(@Res() reply: FastifyReply): Promise<void> {
    const { contentType, body } = await renderMetrics();
    void reply.type(contentType).send(body);
  }
}
