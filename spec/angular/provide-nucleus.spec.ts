import { expect } from 'chai';
import { createEnvironmentInjector, Injector, InjectionToken, NgZone, inject, type EnvironmentInjector } from '@angular/core';
import { asyncScheduler, firstValueFrom, last, lastValueFrom, switchMap } from 'rxjs';
import { NUCLEUS_CLIENT, injectNucleusClient, provideNucleus } from '../../lib/angular/provide-nucleus.js';
import { startEmulator, DEMO_API_KEY, type EmulatorHandle } from '../../lib/emulator/index.js';
import { NucleusClient } from '../../lib/nucleus-client.js';
import { fakeZone } from '../support/fake-zone.js';

const root = (): EnvironmentInjector => createEnvironmentInjector([], Injector.NULL as EnvironmentInjector);

describe('provideNucleus', () => {
  let injector: EnvironmentInjector | undefined;
  afterEach(() => {
    if (injector !== undefined && !injector.destroyed) injector.destroy();
    injector = undefined;
  });

  it('provides one client per injector, created on first use, under NUCLEUS_CLIENT and injectNucleusClient()', () => {
    let created = 0;
    const CONFIG = new InjectionToken<string>('CONFIG');
    injector = createEnvironmentInjector(
      [
        { provide: CONFIG, useValue: 'http://127.0.0.1:9/v1/nucleus' },
        provideNucleus(() => {
          created++;
          // The factory runs in an injection context.
          return { apiKey: 'k_provider_test', endpoint: inject(CONFIG) };
        }),
      ],
      root(),
    );
    expect(created).to.equal(0);
    const client = injector.get(NUCLEUS_CLIENT);
    expect(client).to.be.instanceOf(NucleusClient);
    expect(client.endpoint).to.equal('http://127.0.0.1:9/v1/nucleus/');
    expect(injector.runInContext(() => injectNucleusClient())).to.equal(client);
    expect(created).to.equal(1);
    // A child injector with its own provider gets its own client.
    const child = createEnvironmentInjector([provideNucleus({ apiKey: 'k2', endpoint: 'http://127.0.0.1:9/v1/nucleus' })], injector);
    expect(child.get(NUCLEUS_CLIENT)).to.not.equal(client);
    child.destroy();
  });

  it('injectNucleusClient() outside an injection context throws', () => {
    expect(() => injectNucleusClient()).to.throw(/injection context/);
  });

  it('without a provider, injecting the client fails with the token name', () => {
    injector = root();
    expect(() => injector!.get(NUCLEUS_CLIENT)).to.throw(/NUCLEUS_CLIENT/);
  });

  describe('against the emulator', () => {
    let emu: EmulatorHandle;
    before(async () => {
      emu = await startEmulator({ stepMs: 20, queueMs: 10, linesPerStep: 1 });
    });
    after(() => emu.close());

    it('runs its jobs\' polling outside the Angular zone', async () => {
      const zone = fakeZone();
      injector = createEnvironmentInjector(
        [{ provide: NgZone, useValue: zone }, provideNucleus({ apiKey: DEMO_API_KEY, endpoint: emu.url })],
        root(),
      );
      const client = injector.get(NUCLEUS_CLIENT);
      const dataset = await firstValueFrom(client.createDataset({ name: 'zone' }));
      const items = [1, 2, 3].map((i) => ({ reference_id: `img_${i}`, image_url: `s3://bucket/img_${i}.jpg` }));
      const before = zone.outside;
      const final = await lastValueFrom(dataset.append(items, { asynchronous: true }).pipe(switchMap((job) => job), last()));
      expect(final.status).to.equal('Completed');
      // Every timer of the loop (the polls between the first and the terminal one) left the zone.
      expect(zone.outside - before).to.be.greaterThan(1);
    });

    it('keeps a scheduler the options name', () => {
      const mine = { now: () => 0, schedule: asyncScheduler.schedule.bind(asyncScheduler) };
      injector = createEnvironmentInjector(
        [{ provide: NgZone, useValue: fakeZone() }, provideNucleus({ apiKey: DEMO_API_KEY, endpoint: emu.url, polling: { scheduler: mine } })],
        root(),
      );
      expect(injector.get(NUCLEUS_CLIENT).polling.scheduler).to.equal(mine);
    });
  });
});
