import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireRoles } from '@toolport/auth';
import { ToolportError } from '@toolport/contracts';
import { AuditKeyring } from '../audit-log/audit-keyring';
import { AuditRecordStore } from '../audit-log/audit-record-store';
import { TreeHeadStore } from '../audit-log/tree-head-store';
import { verifyLog, type VerificationResult } from '../audit-log/log-verification';
import type { SignedTreeHead } from '../transparency-log';
import { assertOnlyParameters, parsePositiveInteger, type RawQuery } from './audit-query';

export interface PublicKeyInfo {
  keyId: string;
  /** Standard base64 of the raw 32-byte Ed25519 public key (the verifier's --public-key). */
  publicKey: string;
  /** Whether heads are signed with this key now. */
  current: boolean;
}

/** Signed tree heads, the keys that sign them, and full verification. Auditors and admins only. */
@ApiTags('audit')
@ApiBearerAuth()
@RequireRoles('auditor', 'admin')
@Controller('api/v1/audit')
export class AuditHeadsController {
  constructor(
    @Inject(AuditRecordStore) private readonly records: AuditRecordStore,
    @Inject(TreeHeadStore) private readonly heads: TreeHeadStore,
    @Inject(AuditKeyring) private readonly keyring: AuditKeyring,
  ) {}

  @Get('heads/latest')
  @ApiOperation({ summary: 'The latest signed tree head' })
  async latest(@Query() query: RawQuery): Promise<SignedTreeHead> {
    assertOnlyParameters(query, []);
    const head = await this.heads.latest();
    if (!head) throw new ToolportError('not_found', 'NO_SIGNED_TREE_HEAD', 'no tree head is signed yet');
    return head;
  }

  @Get('heads')
  @ApiOperation({ summary: 'The signed tree head of exactly treeSize records (404 when none was signed at that size)' })
  async ofSize(@Query() query: RawQuery): Promise<SignedTreeHead> {
    assertOnlyParameters(query, ['treeSize']);
    const treeSize = parsePositiveInteger(query['treeSize'], 'query.treeSize');
    const head = await this.heads.ofSize(treeSize);
    if (!head) throw new ToolportError('not_found', 'TREE_HEAD_NOT_FOUND', `no tree head was signed at size ${treeSize}`);
    return head;
  }

  @Get('keys')
  @ApiOperation({ summary: 'The public keys of this log (the current one and any that signed earlier heads)' })
  async keys(@Query() query: RawQuery): Promise<PublicKeyInfo[]> {
    assertOnlyParameters(query, []);
    const known = await this.keyring.known();
    return [...known.values()].map((key) => ({ keyId: key.keyId, publicKey: key.publicKeyBase64, current: key.keyId === this.keyring.current.keyId }));
  }

  @Get('verify')
  @ApiOperation({ summary: 'Recompute every leaf and the tree from the stored records and check every signed head' })
  async verify(@Query() query: RawQuery): Promise<VerificationResult> {
    assertOnlyParameters(query, []);
    return verifyLog({ records: this.records, heads: this.heads, publicKeys: await this.keyring.known() });
  }
}
