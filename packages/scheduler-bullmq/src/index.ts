// @spgdataset/scheduler-bullmq: spectrogram generation on worker processes on any number of machines,
// through a BullMQ queue in Redis. Node only. bullmq and ioredis are loaded when first used.
export {
  BULLMQ_SCHEDULER_ID,
  type BullmqBackoff,
  type BullmqSchedulerOptions,
  bullmqScheduler,
  bullmqSchedulerDefinition,
} from './bullmq-scheduler';
export { checkRedis, MIN_REDIS_VERSION, type RedisFacts, versionAtLeast } from './check-redis';
export { DEFAULT_QUEUE_NAME, type GenerationJobData } from './generation-job';
export { generationJobId, planId } from './generation-job-id';
export {
  type BullmqWorkerEvent,
  type BullmqWorkerHandle,
  type RunBullmqWorkerOptions,
  runBullmqWorker,
} from './run-bullmq-worker';
