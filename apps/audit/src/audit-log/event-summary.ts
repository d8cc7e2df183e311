import type { Actor } from '@toolport/contracts';

/** What a summary is made from: the event as the audit log receives it. */
export interface SummarisedEvent {
  type: string;
  data: unknown;
  actor: Actor;
  streamId: string;
}

type Data = Readonly<Record<string, unknown>>;
type Summariser = (who: string, data: Data) => string | null;

/** How an actor reads at the start of a sentence: "alice", "token ci-bot", "anonymous". */
export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'token':
      return `token ${actor.id}`;
    case 'service':
      return `service ${actor.id}`;
    default:
      return actor.id;
  }
}

const text = (data: Data, key: string): string | null => (typeof data[key] === 'string' ? (data[key] as string) : null);
const list = (data: Data, key: string): string[] => (Array.isArray(data[key]) ? (data[key] as unknown[]).map(String) : []);

/** "io.x/y 1.2.0", or null when the event does not name a version. */
function versionOf(data: Data): string | null {
  const server = text(data, 'serverName');
  const version = text(data, 'version');
  return server && version ? `${server} ${version}` : null;
}

/** Appends ": <why>" when there is a reason worth reading. */
const because = (line: string, why: string | null): string => (why ? `${line}: ${why}` : line);

/** "alice had catalog-token-revocations (catalog) skip TokenRevoked 0199… at stream sequence 12: <why>". */
function consumerAction(who: string, d: Data, verb: 'had' | 'resumed', action: 'skip' | 'resume'): string | null {
  const consumer = text(d, 'consumer');
  const service = text(d, 'service');
  const sequence = d['streamSequence'];
  if (!consumer || !service || typeof sequence !== 'number') return null;
  const type = text(d, 'eventType') ?? 'an unreadable message';
  const id = text(d, 'eventId');
  const message = `${type}${id ? ` ${id}` : ''} at stream sequence ${sequence}`;
  const line =
    action === 'skip' ? `${who} ${verb} ${consumer} (${service}) skip ${message}, which it never applies` : `${who} ${verb} ${consumer} (${service}), retrying ${message}`;
  return because(line, text(d, 'reason'));
}

/**
 * One line per known event type, actor first. Each returns null when the data lacks what its
 * sentence needs (an event from a newer or misbehaving producer), and the generic line is used:
 * the audit log must record every event it is given, never halt on a summary.
 */
const SUMMARIES: Readonly<Record<string, Summariser>> = {
  TokenIssued: (who, d) => {
    const token = text(d, 'tokenId');
    const subject = text(d, 'subject');
    if (!token || !subject) return null;
    const method = text(d, 'authMethod');
    // The registry's token exchange: the subject proved itself and is the actor.
    if (method !== null && method !== 'api-token') {
      const grants = Array.isArray(d['permissions'])
        ? (d['permissions'] as unknown[]).flatMap((p) => {
            const { action, resource } = (typeof p === 'object' && p !== null ? p : {}) as Record<string, unknown>;
            return typeof action === 'string' && typeof resource === 'string' ? [`${action} ${resource}`] : [];
          })
        : [];
      return `${who} obtained token ${token} through the ${method} exchange${grants.length > 0 ? ` (${grants.join(', ')})` : ''}`;
    }
    const roles = list(d, 'roles');
    return `${who} issued token ${token} to ${subject}${roles.length > 0 ? ` (roles ${roles.join(', ')})` : ''}`;
  },
  TokenRevoked: (who, d) => {
    const token = text(d, 'tokenId');
    return token ? because(`${who} revoked token ${token}`, text(d, 'reason')) : null;
  },
  VersionPublished: (who, d) => {
    const version = versionOf(d);
    return version ? `${who} published ${version}` : null;
  },
  VersionStatusChanged: (who, d) => {
    const version = versionOf(d);
    const status = text(d, 'status');
    if (!version || !status) return null;
    const previous = text(d, 'previousStatus');
    return because(`${who} set ${version} to ${status}${previous ? ` (was ${previous})` : ''}`, text(d, 'statusMessage'));
  },
  LatestVersionChanged: (who, d) => {
    const server = text(d, 'serverName');
    if (!server) return null;
    const latest = text(d, 'latest');
    const previous = text(d, 'previous');
    const was = previous ? ` (was ${previous})` : '';
    return latest ? `${who} made ${server} ${latest} the latest version${was}` : `${who} left ${server} without a latest version${was}`;
  },
  NamespacePolicySet: (who, d) => {
    const namespace = text(d, 'namespace');
    const policy = text(d, 'semverPolicy');
    return namespace && policy ? `${who} set the semver policy of ${namespace} to ${policy}` : null;
  },
  ScanRequested: (who, d) => {
    const version = versionOf(d);
    const reason = text(d, 'reason');
    return version ? `${who} requested a scan of ${version}${reason ? ` (${reason})` : ''}` : null;
  },
  ScanCompleted: (who, d) => {
    const version = versionOf(d);
    if (!version || typeof d['score'] !== 'number') return null;
    const findings = list(d, 'findings').length;
    return `${who} scanned ${version}: score ${d['score']}, ${text(d, 'trustLevel') ?? 'no trust level'}, ${findings} finding${findings === 1 ? '' : 's'}`;
  },
  ScanFailed: (who, d) => {
    const version = versionOf(d);
    return version ? because(`${who} failed to scan ${version}`, text(d, 'reason')) : null;
  },
  VersionApproved: (who, d) => {
    const version = versionOf(d);
    return version ? because(`${who} ${d['automatic'] === true ? 'automatically ' : ''}approved ${version}`, text(d, 'justification')) : null;
  },
  VersionRejected: (who, d) => {
    const version = versionOf(d);
    return version ? because(`${who} rejected ${version}`, text(d, 'justification')) : null;
  },
  ApprovalRevoked: (who, d) => {
    const version = versionOf(d);
    return version ? because(`${who} revoked the approval of ${version}`, text(d, 'justification')) : null;
  },
  HealthStatusChanged: (who, d) => {
    const version = versionOf(d);
    const status = text(d, 'status');
    if (!version || !status) return null;
    const previous = text(d, 'previousStatus');
    return because(`${who} saw ${version} become ${status}${previous ? ` (was ${previous})` : ''}`, text(d, 'reason'));
  },
  // Not "who did what": the actor of a burst is only what its tokens claimed, so the line names
  // the refusing service, the source and the claims, and says that they are unverified.
  AuthenticationFailureBurstDetected: (_who, d) => {
    const service = text(d, 'service');
    const ip = text(d, 'sourceIp');
    const count = d['count'];
    const window = d['windowSeconds'];
    if (!service || !ip || typeof count !== 'number' || typeof window !== 'number') return null;
    const reasons = Array.isArray(d['reasons'])
      ? (d['reasons'] as unknown[]).flatMap((r) => {
          const { reason, count: n } = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
          return typeof reason === 'string' && typeof n === 'number' ? [`${reason} ${n}`] : [];
        })
      : [];
    const claimed = list(d, 'claimedSubjects');
    const of = claimed.length > 0 ? ` claiming ${claimed.join(', ')} (unverified)` : '';
    return `${service} refused ${count} authentications${of} from ${ip} within ${window} s${reasons.length > 0 ? `: ${reasons.join(', ')}` : ''}`;
  },
  // An admin action on a halted projection, by the consuming service: what was skipped matters
  // most (a skipped TokenRevoked leaves that token valid at that service).
  ConsumerMessageSkipped: (who, d) => consumerAction(who, d, 'had', 'skip'),
  ConsumerResumed: (who, d) => consumerAction(who, d, 'resumed', 'resume'),
  ToolDriftDetected: (who, d) => {
    const version = versionOf(d);
    if (!version) return null;
    const parts = [
      ...list(d, 'added').map((t) => `+${t}`),
      ...list(d, 'removed').map((t) => `-${t}`),
      ...list(d, 'changed').map((t) => `~${t}`),
    ];
    return `${who} detected tool drift on ${version}${parts.length > 0 ? `: ${parts.join(' ')}` : ''}`;
  },
};

/**
 * The generic line for any other event (a type added after this code was written is audited
 * without a change here): "alice: SomethingHappened on io.x/y 1.2.0" or "... on stream <id>".
 */
function genericSummary(who: string, event: SummarisedEvent, data: Data): string {
  const version = versionOf(data);
  const server = text(data, 'serverName');
  return `${who}: ${event.type} on ${version ?? server ?? `stream ${event.streamId}`}`;
}

/** The audit record's human line: who did what, from the event alone. */
export function summarise(event: SummarisedEvent): string {
  const data: Data = typeof event.data === 'object' && event.data !== null && !Array.isArray(event.data) ? (event.data as Data) : {};
  const who = actorLabel(event.actor);
  const specific = Object.hasOwn(SUMMARIES, event.type) ? SUMMARIES[event.type]!(who, data) : null;
  return specific ?? genericSummary(who, event, data);
}
