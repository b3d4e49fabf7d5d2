/**
 * nucleus-rx/emulator: a local Nucleus emulator (Node only). See docs/emulator.md.
 *
 * @example
 * ```ts
 * import { startEmulator, DEMO_API_KEY } from 'nucleus-rx/emulator';
 * const emu = await startEmulator();
 * console.log(emu.url); // http://127.0.0.1:<port>/v1/nucleus, key DEMO_API_KEY
 * await emu.close();
 * ```
 */
export { startEmulator } from './server.js';
export type { EmulatorHandle } from './server.js';
export { DEMO_API_KEY } from './options.js';
export type { EmulatorOptions, RequestEvent } from './options.js';
export { createManualClock, scaledClock, systemClock } from './clock.js';
export type { EmulatorClock, ManualClock, TimerHandle } from './clock.js';
export type { EmulatorControl, EmulatorCounters } from './control.js';
export type { JobState, ForcedJobState, UploadJobType, WireQuirks } from './engine.js';
export { MAX_JOB_ERRORS, TERMINAL_STATUSES } from './engine.js';
export { FAULT_KINDS } from './faults.js';
export type { FaultConfig, FaultKind, FaultRule } from './faults.js';
export { API_ROUTES, API_PREFIX, CONTROL_PREFIX, UPLOAD_PREFIX } from './routes.js';
export type { ApiRoute } from './routes.js';
export { ANNOTATION_TYPES } from './records.js';
