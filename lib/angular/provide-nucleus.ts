/**
 * provideNucleus / NUCLEUS_CLIENT / injectNucleusClient: one NucleusClient per Angular injector.
 */
import { InjectionToken, NgZone, inject, makeEnvironmentProviders, type EnvironmentProviders } from '@angular/core';
import { NucleusClient, type NucleusClientOptions } from '../nucleus-client.js';
import { outsideAngularScheduler } from './outside-angular-scheduler.js';

/** The client provided by {@link provideNucleus}. */
export const NUCLEUS_CLIENT = new InjectionToken<NucleusClient>('NUCLEUS_CLIENT');

/**
 * Provides a {@link NucleusClient} under {@link NUCLEUS_CLIENT}, created lazily on first injection.
 *
 * `options` are the client's options, or a factory of them that runs in an injection context (so it
 * may `inject()` a configuration service). Unless the options name their own schedulers, the client's
 * timers (request timeouts, retry delays, the polling of its jobs) run on
 * {@link outsideAngularScheduler}: a job watched with `job | async` does not keep a zone-based app
 * unstable. No token holds the options: the API key stays inside the client.
 *
 * ## Example
 * ```ts
 * import { provideNucleus } from 'nucleus-rx/angular';
 * import { pauseWhenHidden } from 'nucleus-rx';
 *
 * bootstrapApplication(App, {
 *   providers: [provideNucleus({ apiKey: environment.nucleusKey, polling: { pause$: pauseWhenHidden() } })],
 * });
 * ```
 *
 * @param options the client's options, or a factory of them
 * @return environment providers for `bootstrapApplication`, a route or `createEnvironmentInjector`
 */
export function provideNucleus(options: NucleusClientOptions | (() => NucleusClientOptions)): EnvironmentProviders {
  return makeEnvironmentProviders([
    {
      provide: NUCLEUS_CLIENT,
      useFactory: (): NucleusClient => {
        const resolved = typeof options === 'function' ? options() : options;
        const zone = inject(NgZone, { optional: true });
        if (zone === null) return new NucleusClient(resolved);
        const scheduler = resolved.scheduler ?? outsideAngularScheduler(zone);
        return new NucleusClient({
          ...resolved,
          scheduler,
          polling: { ...resolved.polling, scheduler: resolved.polling?.scheduler ?? scheduler },
        });
      },
    },
  ]);
}

/**
 * The client provided by {@link provideNucleus}; call it in an injection context (a constructor, a
 * field initializer, a factory).
 *
 * ## Example
 * ```ts
 * @Injectable({ providedIn: 'root' })
 * export class Jobs {
 *   private readonly client = injectNucleusClient();
 *   readonly recent$ = this.client.listJobs({ showCompleted: true, limit: 20 });
 * }
 * ```
 */
export function injectNucleusClient(): NucleusClient {
  return inject(NUCLEUS_CLIENT);
}
