import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '@toolport/auth';
import { ToolportError } from '@toolport/contracts';
import { AuditProofs } from '../audit-log/audit-proofs';
import { AuditRecordStore } from '../audit-log/audit-record-store';
import { TreeHeadStore } from '../audit-log/tree-head-store';
import type { AuditRecord, ConsistencyProofResponse, InclusionProofResponse } from '../transparency-log';
import { assertOnlyParameters, parsePositiveInteger, parseRecordsQuery, type RawQuery } from './audit-query';

export interface RecordsPage {
  items: AuditRecord[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/** Reading the log and proving it: records, inclusion and consistency proofs. Auditors and admins only. */
@ApiTags('audit')
@ApiBearerAuth()
@RequireRoles('auditor', 'admin')
@Controller('api/v1/audit')
export class AuditRecordsController {
  constructor(
    @Inject(AuditRecordStore) private readonly records: AuditRecordStore,
    @Inject(TreeHeadStore) private readonly heads: TreeHeadStore,
    @Inject(AuditProofs) private readonly proofs: AuditProofs,
  ) {}

  @Get('records')
  @ApiOperation({ summary: 'Audit records in log order, filtered by actor, server, type and time (occurredAt, from inclusive, to exclusive)' })
  async list(@Query() query: RawQuery): Promise<RecordsPage> {
    const { filter, after, limit } = parseRecordsQuery(query);
    // One more than asked tells whether another page exists, so the last page says so itself.
    const rows = await this.records.page(filter, after, Number.MAX_SAFE_INTEGER, limit + 1);
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? String(items[items.length - 1]!.seq) : null };
  }

  @Get('records/:seq')
  @ApiOperation({ summary: 'One audit record, exactly the fields its leaf commits to plus the payload' })
  async get(@Param('seq') rawSeq: string, @Query() query: RawQuery): Promise<AuditRecord> {
    assertOnlyParameters(query, []);
    const seq = parsePositiveInteger(rawSeq, 'path.seq');
    const stored = await this.records.get(seq);
    if (!stored) throw new ToolportError('not_found', 'RECORD_NOT_FOUND', `there is no audit record ${seq}`);
    return stored.record;
  }

  @Get('records/:seq/proof')
  @ApiOperation({ summary: 'Inclusion proof (RFC 9162 §2.1.3) of a record in the tree of treeSize records (default: the latest signed head)' })
  async proof(@Param('seq') rawSeq: string, @Query() query: RawQuery): Promise<InclusionProofResponse> {
    assertOnlyParameters(query, ['treeSize']);
    const seq = parsePositiveInteger(rawSeq, 'path.seq');
    const treeSize = query['treeSize'] === undefined ? await this.latestSignedSize() : parsePositiveInteger(query['treeSize'], 'query.treeSize');
    return this.proofs.inclusion(seq, treeSize);
  }

  @Get('consistency')
  @ApiOperation({ summary: 'Consistency proof (RFC 9162 §2.1.4) between the trees of first and second records' })
  async consistency(@Query() query: RawQuery): Promise<ConsistencyProofResponse> {
    assertOnlyParameters(query, ['first', 'second']);
    const first = parsePositiveInteger(query['first'], 'query.first');
    const second = parsePositiveInteger(query['second'], 'query.second');
    return this.proofs.consistency(first, second);
  }

  private async latestSignedSize(): Promise<number> {
    const latest = await this.heads.latest();
    if (!latest) throw new ToolportError('not_found', 'NO_SIGNED_TREE_HEAD', 'no tree head is signed yet: pass treeSize');
    return latest.treeSize;
  }
}
