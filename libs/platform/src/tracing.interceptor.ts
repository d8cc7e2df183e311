import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { SpanKind, withSpan } from '@toolport/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, type Observable } from 'rxjs';

/**
 * Runs each handler inside a SERVER span that continues the caller's `traceparent`, so what the
 * handler appends (events carry the active traceparent) joins the request's trace. Fastify has
 * no OpenTelemetry instrumentation here, and hooks cannot wrap the handler in a context; an
 * interceptor can.
 */
@Injectable()
export class TracingInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const route = request.routeOptions?.url ?? request.url.split('?')[0];
    const header = request.headers['traceparent'];
    return from(
      withSpan(
        `HTTP ${request.method} ${route}`,
        {
          parent: typeof header === 'string' ? header : undefined,
          kind: SpanKind.SERVER,
          attributes: { 'http.request.method': request.method, 'http.route': String(route) },
        },
        async (span) => {
          const result = await lastValueFrom(next.handle(), { defaultValue: undefined });
          span.setAttribute('http.response.status_code', reply.statusCode);
          return result;
        },
      ),
    );
  }
}
