import type { AnyEventDefinition } from '../event-registry';
import { AuthenticationFailureBurstDetected } from './auth.events';
import { TreeHeadSigned } from './audit.events';
import { ConsumerMessageSkipped, ConsumerResumed } from './consumer.events';
import { HealthStatusChanged, ToolDriftDetected } from './health.events';
import { ApprovalRevoked, ScanCompleted, ScanFailed, ScanRequested, VersionApproved, VersionRejected } from './scan.events';
import { LatestVersionChanged, NamespacePolicySet, VersionPublished, VersionStatusChanged } from './server.events';
import { TokenIssued, TokenRevoked } from './token.events';

export * from './audit.events';
export * from './auth.events';
export * from './consumer.events';
export * from './health.events';
export * from './scan.events';
export * from './server.events';
export * from './token.events';

/**
 * Every event Toolport knows. Add new definitions here (one file per owning aggregate).
 * `defineEvent` types belong to one service; `defineSharedEvent` types (auth.events.ts,
 * consumer.events.ts) are emitted by each service about itself, to its own stream: see
 * SharedEventDefinition.
 */
export const ALL_EVENTS: readonly AnyEventDefinition[] = [
  TokenIssued,
  TokenRevoked,
  VersionPublished,
  VersionStatusChanged,
  LatestVersionChanged,
  NamespacePolicySet,
  ScanRequested,
  ScanCompleted,
  ScanFailed,
  VersionApproved,
  VersionRejected,
  ApprovalRevoked,
  HealthStatusChanged,
  ToolDriftDetected,
  TreeHeadSigned,
  AuthenticationFailureBurstDetected,
  ConsumerMessageSkipped,
  ConsumerResumed,
];
