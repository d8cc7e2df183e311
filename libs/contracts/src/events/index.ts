import type { EventDefinition } from '../event-registry';
import { LatestVersionChanged, NamespacePolicySet, VersionPublished, VersionStatusChanged } from './server.events';
import { TokenIssued, TokenRevoked } from './token.events';

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
];
