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
