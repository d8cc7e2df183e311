/**
 * "Something about this server changed": what in-process caches of read-model answers listen to
 * (the official API's response cache). Fired by this process's projections right after their
 * transaction commits (before the messages are acknowledged, so a caller that waited for the
 * consumer to catch up reads fresh answers), and by the change feed for commits made by other
 * catalog replicas (PostgreSQL NOTIFY, milliseconds later).
 */
export type ServerChangeListener = (serverName: string) => void;

export class ServerChanges {
  private readonly listeners = new Set<ServerChangeListener>();

  subscribe(listener: ServerChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  changed(serverName: string): void {
    for (const listener of this.listeners) listener(serverName);
  }
}
