export * from './envelope';
export * from './naming';
export * from './validation';
export * from './event-registry';
export * from './events';
export * from './uuid';
export * from './problem';
export * from './errors';
