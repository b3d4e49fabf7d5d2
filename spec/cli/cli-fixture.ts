/**
 * An emulator for the CLI specs, with helpers that start jobs on it through the library's client.
 */
import { firstValueFrom } from 'rxjs';
import { startEmulator, TERMINAL_STATUSES, type EmulatorHandle } from '../../lib/emulator/index.js';
import { NucleusClient } from '../../lib/nucleus-client.js';
import type { Dataset } from '../../lib/dataset.js';

/** A key that would be easy to spot in any output. */
export const KEY = 'sk_cli_spec_9f3a7c21e5d84b60';

export interface Fixture {
  readonly emulator: EmulatorHandle;
  /** Environment for the CLI child process: endpoint and key, no colour. */
  readonly env: Record<string, string>;
  readonly client: NucleusClient;
  dataset(): Promise<Dataset>;
  /** Starts an append job of `n` items and resolves its id. */
  appendJob(n?: number): Promise<string>;
  /**
   * Starts an annotate job on a dataset of `n` items whose annotations name `bad` missing items.
   * With `paused`, the engine is paused just before, so the job stays Queued until `resume()`.
   */
  annotateJob(n: number, bad: number, options?: { paused?: boolean }): Promise<string>;
  /** Resolves once the job reached a terminal status (read through the control API). */
  ended(jobId: string): Promise<string>;
  close(): Promise<void>;
}

export async function startFixture(options: { speed?: number } = {}): Promise<Fixture> {
  const emulator = await startEmulator({ apiKeys: [KEY], speed: options.speed ?? 20 });
  const client = new NucleusClient({ apiKey: KEY, endpoint: emulator.url });
  const items = (n: number) => Array.from({ length: n }, (_, i) => ({ reference_id: `img_${i}`, image_url: `s3://bucket/img_${i}.jpg` }));
  const dataset = () => firstValueFrom(client.createDataset({ name: 'cli spec' }));
  const fixture: Fixture = {
    emulator,
    env: { NUCLEUS_ENDPOINT: emulator.url, NUCLEUS_API_KEY: KEY },
    client,
    dataset,
    async appendJob(n = 10) {
      const ds = await dataset();
      return (await firstValueFrom(ds.append(items(n), { asynchronous: true }))).jobId;
    },
    async annotateJob(n, bad, options = {}) {
      const ds = await dataset();
      const annotations = [
        ...items(n).map((it) => ({ type: 'box' as const, label: 'car', reference_id: it.reference_id, annotation_id: `a_${it.reference_id}`, geometry: { x: 1, y: 2, width: 3, height: 4 } })),
        ...Array.from({ length: bad }, (_, i) => ({ type: 'box' as const, label: 'car', reference_id: `missing_${i}`, annotation_id: `a_missing_${i}`, geometry: { x: 1, y: 2, width: 3, height: 4 } })),
      ];
      const appended = (await firstValueFrom(ds.append(items(n), { asynchronous: true }))).jobId;
      await fixture.ended(appended);
      if (options.paused) emulator.control.pause();
      return (await firstValueFrom(ds.annotate(annotations, { asynchronous: true }))).jobId;
    },
    async ended(jobId) {
      for (;;) {
        const status = emulator.control.jobState(jobId)?.status ?? '';
        if (TERMINAL_STATUSES.includes(status)) return status;
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () => emulator.close(),
  };
  return fixture;
}
