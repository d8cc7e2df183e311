export * from './config';
export * from './instance-cleanup';
