export * from './config';
export * from './instance-cleanup';
export * from './official-registry/official-openapi';
export * from './bench-stats';
export * from './loopback-server';
export * from './verdaccio';
