import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { PROBLEM_CONTENT_TYPE } from '@toolport/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from './problem-details';

/** Every HTTP error leaves as application/problem+json (see problem-details.ts). */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    sendProblem(reply, request, error, this.logger);
  }
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, error: unknown, logger: Pick<Logger, 'error'>): void {
  const { problem, expected, headers } = toProblem(error, request.url.split('?')[0]);
  // The auth guard may already have said more precisely what is wrong (`error="invalid_token"`).
  if (reply.hasHeader('www-authenticate')) delete headers['www-authenticate'];
  if (!expected) logger.error({ msg: 'request failed', method: request.method, url: request.url.split('?')[0], err: error });
  void reply.status(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(problem);
}
