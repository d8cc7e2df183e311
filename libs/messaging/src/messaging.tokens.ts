/** Nest injection tokens MessagingModule provides (symbols: one per process, shared by all services). */
export const NATS_CONNECTION = Symbol.for('toolport.NatsConnection');
export const CONSUMER_REGISTRY = Symbol.for('toolport.ConsumerRegistry');
export const MESSAGING_OPTIONS = Symbol.for('toolport.MessagingOptions');
