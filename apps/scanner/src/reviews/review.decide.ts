import { type TrustLevel, ToolportError } from '@toolport/contracts';
import type { Decider } from '@toolport/event-store';
import { evolveReview, initialReviewState, type ReviewEvent, type ReviewState, type VersionApprovedData } from './review';

interface ReviewCommandBase {
  serverName: string;
  version: string;
  justification: string;
  now: Date;
}

/** What the approval rests on: the version's last completed scan (null when none completed). */
export interface ApprovedScan {
  trustLevel: TrustLevel;
  tools: VersionApprovedData['tools'];
  toolListHash: string;
}

export interface ApproveVersion extends ReviewCommandBase {
  type: 'ApproveVersion';
  scan: ApprovedScan | null;
  /** By the automatic policy (TOOLPORT_AUTO_APPROVE_NAMESPACES) rather than a person. */
  automatic: boolean;
  /**
   * Separation of duties, looked up at the edge: the reviewer holds an explicit publish grant
   * covering the server name, or is the actor who published the version.
   */
  reviewer: { mayPublish: boolean; publishedIt: boolean };
}

export interface RejectVersion extends ReviewCommandBase {
  type: 'RejectVersion';
}

export interface RevokeApproval extends ReviewCommandBase {
  type: 'RevokeApproval';
}

export type ReviewCommand = ApproveVersion | RejectVersion | RevokeApproval;

export const MAX_JUSTIFICATION = 2000;

const conflict = (code: string, detail: string) => new ToolportError('conflict', code, detail);

function justificationOf(command: ReviewCommand): string {
  const text = command.justification.trim();
  if (text.length === 0 || text.length > MAX_JUSTIFICATION) {
    throw new ToolportError('invalid', 'JUSTIFICATION_REQUIRED', `a justification of 1 to ${MAX_JUSTIFICATION} characters is required`, [
      { message: 'required, 1 to 2000 characters', location: 'body.justification' },
    ]);
  }
  return text;
}

function approve(command: ApproveVersion, state: ReviewState, justification: string): ReviewEvent[] {
  const name = `${command.serverName}@${command.version}`;
  if (state.decision === 'approved') throw conflict('ALREADY_APPROVED', `${name} is already approved`);
  if (command.scan === null) throw conflict('SCAN_NOT_COMPLETED', `${name} has no completed scan yet: a version is approved on the findings of a completed scan`);
  if (command.scan.trustLevel === 'rejected') {
    throw conflict('TRUST_LEVEL_REJECTED', `${name} cannot be approved: its last completed scan has trust level "rejected" (a critical finding); a rescan must clear it first`);
  }
  if (!command.automatic && command.reviewer.publishedIt) {
    throw conflict('SEPARATION_OF_DUTIES', `${name} was published by you: a version must be approved by someone other than its publisher`);
  }
  if (!command.automatic && command.reviewer.mayPublish) {
    throw conflict('SEPARATION_OF_DUTIES', `you may publish to ${command.serverName}: a reviewer cannot approve versions in a namespace they may publish to`);
  }
  return [
    {
      type: 'VersionApproved',
      data: {
        serverName: command.serverName,
        version: command.version,
        justification,
        trustLevel: command.scan.trustLevel,
        tools: command.scan.tools,
        toolListHash: command.scan.toolListHash,
        automatic: command.automatic,
        approvedAt: command.now.toISOString(),
      },
    },
  ];
}

export function decideReview(command: ReviewCommand, state: ReviewState): ReviewEvent[] {
  const justification = justificationOf(command);
  const ref = { serverName: command.serverName, version: command.version, justification };
  const name = `${command.serverName}@${command.version}`;
  switch (command.type) {
    case 'ApproveVersion':
      return approve(command, state, justification);
    case 'RejectVersion':
      if (state.decision === 'rejected') throw conflict('ALREADY_REJECTED', `${name} is already rejected`);
      if (state.decision === 'approved') throw conflict('APPROVAL_STANDS', `${name} is approved: revoke the approval first`);
      return [{ type: 'VersionRejected', data: { ...ref, rejectedAt: command.now.toISOString() } }];
    case 'RevokeApproval':
      if (state.decision !== 'approved') throw conflict('NOT_APPROVED', `${name} has no approval to revoke (it is ${state.decision})`);
      return [{ type: 'ApprovalRevoked', data: { ...ref, revokedAt: command.now.toISOString() } }];
  }
}

export const reviewDecider: Decider<ReviewState, ReviewCommand, ReviewEvent> = {
  initialState: initialReviewState,
  evolve: evolveReview,
  decide: decideReview,
};
