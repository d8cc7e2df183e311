/** Nest injection token for a service's `EventStore` (each service app provides its own). */
export const EVENT_STORE = Symbol.for('toolport.EventStore');
