import type { ApprovalRevoked, DataOf, EventOf, TrustLevel, VersionApproved, VersionRejected } from '@toolport/contracts';

export type VersionApprovedData = DataOf<typeof VersionApproved>;

export type ReviewEvent =
  | Pick<EventOf<typeof VersionApproved>, 'type' | 'data'>
  | Pick<EventOf<typeof VersionRejected>, 'type' | 'data'>
  | Pick<EventOf<typeof ApprovalRevoked>, 'type' | 'data'>;

/** One stream per server version: its reviewers' decisions. */
export const reviewStreamId = (serverName: string, version: string): string => `review-${serverName}@${version}`;

/** `pending` until a decision, and again after an approval is revoked. */
export type ReviewDecision = 'pending' | 'approved' | 'rejected';
export const REVIEW_DECISIONS: readonly ReviewDecision[] = ['pending', 'approved', 'rejected'];

export interface ReviewHistoryEntry {
  kind: 'approved' | 'rejected' | 'revoked';
  justification: string;
  at: string;
  automatic?: boolean;
  trustLevel?: TrustLevel;
}

export interface ReviewState {
  decision: ReviewDecision;
  /** What the standing approval approved (null unless `approved`). */
  approved: Pick<VersionApprovedData, 'trustLevel' | 'tools' | 'toolListHash' | 'automatic'> | null;
  history: ReviewHistoryEntry[];
}

export const initialReviewState = (): ReviewState => ({ decision: 'pending', approved: null, history: [] });

export function evolveReview(state: ReviewState, event: ReviewEvent): ReviewState {
  switch (event.type) {
    case 'VersionApproved': {
      const { data } = event;
      return {
        decision: 'approved',
        approved: { trustLevel: data.trustLevel, tools: data.tools, toolListHash: data.toolListHash, automatic: data.automatic },
        history: [...state.history, { kind: 'approved', justification: data.justification, at: data.approvedAt, automatic: data.automatic, trustLevel: data.trustLevel }],
      };
    }
    case 'VersionRejected':
      return { decision: 'rejected', approved: null, history: [...state.history, { kind: 'rejected', justification: event.data.justification, at: event.data.rejectedAt }] };
    case 'ApprovalRevoked':
      return { decision: 'pending', approved: null, history: [...state.history, { kind: 'revoked', justification: event.data.justification, at: event.data.revokedAt }] };
  }
}
