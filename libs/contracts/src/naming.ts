/**
 * Every name Toolport creates in shared infrastructure is derived here from TOOLPORT_INSTANCE,
 * so two instances (or a test run and a dev run) share one Postgres, NATS and Redis unseen.
 */
export const SERVICE_NAMES = ['publisher', 'catalog', 'scanner', 'health', 'audit'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Lower-case so it is valid unquoted in Postgres, in NATS subjects and in Redis keys. */
export const INSTANCE_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

export function assertInstanceName(instance: string): string {
  if (!INSTANCE_PATTERN.test(instance)) {
    throw new Error(
      `TOOLPORT_INSTANCE "${instance}" is invalid: use 1-40 characters a-z, 0-9 and _, starting with a letter`,
    );
  }
  return instance;
}

/** Postgres schema owned by one service of one instance, e.g. `toolport_publisher`. */
export const pgSchemaName = (instance: string, service: ServiceName): string => `${instance}_${service}`;

/** JetStream stream owned by one service, e.g. `TOOLPORT_PUBLISHER`. */
export const streamName = (instance: string, service: ServiceName | 'dlq'): string =>
  `${instance}_${service}`.toUpperCase();

/** Subject of an event: `<instance>.<service>.<aggregate>.<eventType>`. */
export const eventSubject = (instance: string, service: ServiceName, aggregate: string, type: string): string =>
  `${instance}.${service}.${aggregate}.${type}`;

/** Wildcard covering every subject a service's stream holds. */
export const serviceSubjects = (instance: string, service: ServiceName): string => `${instance}.${service}.>`;

/** Durable consumer names are `<consumer>-<purpose>`; the instance prefix keeps them apart. */
export const durableName = (instance: string, consumer: string): string => `${instance}-${consumer}`;

/** Where a work consumer moves a message it gave up on. */
export const deadLetterSubject = (instance: string, consumer: string): string => `${instance}.dlq.${consumer}`;

/** BullMQ key prefix. */
export const queuePrefix = (instance: string): string => `${instance}:bull`;
