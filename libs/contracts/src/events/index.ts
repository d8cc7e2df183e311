import type { EventDefinition } from '../event-registry';
import { TreeHeadSigned } from './audit.events';
import { HealthStatusChanged, ToolDriftDetected } from './health.events';
import { ApprovalRevoked, ScanCompleted, ScanFailed, ScanRequested, VersionApproved, VersionRejected } from './scan.events';
import { LatestVersionChanged, NamespacePolicySet, VersionPublished, VersionStatusChanged } from './server.events';
import { TokenIssued, TokenRevoked } from './token.events';

export * from './audit.events';
export * from './health.events';
export * from './scan.events';
export * from './server.events';
export * from './token.events';

/** Every event Toolport knows. Add new definitions here (one file per owning aggregate). */
export const ALL_EVENTS: readonly EventDefinition[] = [
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
];
