export * from './event-store';
export * from './injection';
