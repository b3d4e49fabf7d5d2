// nucleus-rx/angular: Angular integration. `@angular/core` is an optional peer dependency of
// nucleus-rx, needed only by this entry.
export { outsideAngular } from './outside-angular.js';
export { jobSignal } from './job-signal.js';
export type { JobSignalOptions } from './job-signal.js';
export { outsideAngularScheduler } from './outside-angular-scheduler.js';
export { provideNucleus, NUCLEUS_CLIENT, injectNucleusClient } from './provide-nucleus.js';
