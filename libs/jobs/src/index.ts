export * from './job-queue';
export * from './bullmq-jobs';
export * from './sync-job-queue';
