import { ApplicationRef, provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { pauseWhenHidden } from 'nucleus-rx';
import { provideNucleus } from 'nucleus-rx/angular';
import { App } from './app/app';

/** Served by serve.mjs: the emulator's URL and its public demo key (not a secret). */
interface DashboardConfig {
  readonly endpoint: string;
  readonly apiKey: string;
}

async function main(): Promise<void> {
  const config = (await (await fetch('config.json', { cache: 'no-store' })).json()) as DashboardConfig;
  const app = await bootstrapApplication(App, {
    providers: [
      provideZonelessChangeDetection(),
      provideNucleus({
        endpoint: config.endpoint,
        apiKey: config.apiKey,
        // Hidden tab, no polling; back in view, one poll at once.
        polling: { pause$: pauseWhenHidden() },
      }),
    ],
  });
  // For the e2e test: resolves once Angular has no pending work. Polling must not count as such.
  const appRef = app.injector.get(ApplicationRef);
  (window as unknown as { whenDashboardStable(): Promise<void> }).whenDashboardStable = () => appRef.whenStable();
}

main().catch((err: unknown) => console.error(err));
