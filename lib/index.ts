// nucleus-rx: Nucleus async jobs as RxJS streams. Named exports only.
export * from './errors.js';
export { Numeric } from './codecs/numeric.js';
export { JobStatus, JobInfo, JobInfoList, JobErrorLines, JobMessage } from './codecs/job.js';
export type { JobSnapshot, JobPhase } from './job-snapshot.js';
export { phaseOf, isTerminal, toSnapshot, sameSnapshot } from './job-snapshot.js';
export type { PollState, PollingPolicy } from './polling-policy.js';
export type { JobApi } from './job-api.js';
export { pauseWhenHidden } from './pause-when-hidden.js';
export type { VisibilitySource, PauseWhenHiddenOptions } from './pause-when-hidden.js';
