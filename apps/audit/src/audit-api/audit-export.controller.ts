import { Controller, Get, Inject, Logger, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '@toolport/auth';
import type { FastifyReply } from 'fastify';
import { AuditRecordStore } from '../audit-log/audit-record-store';
import { parseExportQuery, type RawQuery } from './audit-query';
import { EXPORT_CONTENT_TYPES, exportStream } from './audit-export';

/** The whole (filtered) log as JSON Lines or CSV, streamed. Auditors and admins only. */
@ApiTags('audit')
@ApiBearerAuth()
@RequireRoles('auditor', 'admin')
@Controller('api/v1/audit')
export class AuditExportController {
  private readonly logger = new Logger('audit-export');

  constructor(@Inject(AuditRecordStore) private readonly records: AuditRecordStore) {}

  @Get('export')
  @ApiOperation({ summary: 'Stream the records matching the records filters as JSON Lines (default) or CSV' })
  async export(@Query() query: RawQuery, @Res() reply: FastifyReply): Promise<void> {
    // Parsed before anything is sent, so a bad parameter is still a 400 problem+json.
    const parsed = parseExportQuery(query);
    const upTo = await this.records.size();
    const stream = exportStream(this.records, parsed, upTo);
    // Headers are gone once the first byte is: a failure later can only cut the stream short.
    stream.on('error', (error) => this.logger.error({ msg: 'audit export failed mid-stream', err: error }));
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    void reply
      .header('content-type', EXPORT_CONTENT_TYPES[parsed.format])
      .header('content-disposition', `attachment; filename="toolport-audit-${stamp}.${parsed.format}"`)
      .header('cache-control', 'no-store')
      .send(stream);
  }
}
