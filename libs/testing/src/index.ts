export * from './infrastructure';
export * from './instance-cleanup';
