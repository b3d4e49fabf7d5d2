// Integration: AsyncJob, errors$ and the operators over real HTTP (loopback) against the emulator.
import { expect } from 'chai';
import { firstValueFrom, lastValueFrom, tap, toArray } from 'rxjs';
import { AsyncJob } from '../../lib/async-job.js';
import type { Annotation } from '../../lib/codecs/annotation.js';
import type { DatasetItem } from '../../lib/codecs/dataset-item.js';
import { DEMO_API_KEY, startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { isJobError } from '../../lib/errors.js';
import { NucleusClient } from '../../lib/nucleus-client.js';
import { completeOrThrow } from '../../lib/operators/complete-or-throw.js';
import { concatJobs, type StepSnapshot } from '../../lib/operators/concat-jobs.js';
import { exponentialBackoff } from '../../lib/policies/exponential-backoff.js';

const items = (n: number): DatasetItem[] =>
  Array.from({ length: n }, (_, i) => ({ image_url: `s3://bucket/img_${i}.jpg`, reference_id: `img_${i}`, metadata: {} }) as DatasetItem);

const box = (referenceId: string, annotationId: string): Annotation =>
  ({ label: 'car', type: 'box', geometry: { x: 50, y: 60, width: 70, height: 80 }, reference_id: referenceId, annotation_id: annotationId, metadata: {} }) as Annotation;

describe('integration: jobs over HTTP against the emulator', () => {
  let emu: EmulatorHandle;
  let client: NucleusClient;

  before(async () => {
    // Real clock, short steps: a job of n lines runs about n/2 * 20 ms.
    emu = await startEmulator({ queueMs: 20, stepMs: 20, linesPerStep: 2 });
    client = new NucleusClient({
      apiKey: DEMO_API_KEY,
      endpoint: emu.url,
      polling: { policy: exponentialBackoff({ initialDelayMs: 5, maxDelayMs: 20 }) },
    });
  });
  after(async () => {
    await emu.close();
  });

  it("runs the guide's flow with concatJobs + completeOrThrow and ends in a JobError naming the bad reference id", async () => {
    const dataset = await firstValueFrom(client.createDataset({ name: 'guide' }));
    const seen: StepSnapshot[] = [];
    const outcome = await lastValueFrom(
      concatJobs(
        () => dataset.append(items(4), { asynchronous: true }),
        () => dataset.annotate([box('img_0', 'a0'), box('bad_ref_id', 'attempted_annot_upload')], { asynchronous: true }),
      ).pipe(tap((s) => seen.push(s))),
    ).then(
      () => expect.fail('the chain completed'),
      (e: unknown) => e,
    );

    if (!isJobError(outcome)) return expect.fail(`not a JobError: ${String(outcome)}`);
    expect(outcome.status).to.equal('Errored_Partial');
    expect((outcome.snapshot as StepSnapshot).step).to.equal(1);
    expect(outcome.job).to.be.instanceOf(AsyncJob);
    expect(outcome.job?.jobType).to.equal('uploadAnnotations');
    const bad = outcome.errors.find((r) => r.referenceId === 'bad_ref_id');
    expect(bad?.annotationId).to.equal('attempted_annot_upload');
    expect(bad?.message).to.include('bad_ref_id');

    // The annotate job was submitted only after the append completed.
    const firstOfStep1 = seen.findIndex((s) => s.step === 1);
    expect(firstOfStep1).to.be.greaterThan(0);
    expect(seen[firstOfStep1 - 1]).to.include({ step: 0, status: 'Completed' });
    const jobs = emu.control.jobStates().filter((j) => j.datasetId === dataset.id);
    expect(jobs.map((j) => [j.jobType, j.status])).to.deep.equal([
      ['uploadDatasetItems', 'Completed'],
      ['uploadAnnotations', 'Errored_Partial'],
    ]);
  });

  it("translates the guide's sleep_until_complete / except JobError example", async () => {
    const dataset = client.dataset((await firstValueFrom(client.createDataset({ name: 'python-style' }))).id);
    const appendJob = await firstValueFrom(dataset.append(items(2), { asynchronous: true }));
    expect((await appendJob.sleepUntilComplete()).status).to.equal('Completed');

    const annotJob = await firstValueFrom(dataset.annotate([box('bad_ref_id', 'attempted_annot_upload')], { asynchronous: true }));
    const e = await annotJob.sleepUntilComplete().catch((err: unknown) => err);
    if (!isJobError(e)) return expect.fail(`not a JobError: ${String(e)}`);
    expect(e.status).to.equal('Errored_User');
    // What the Python example prints with annot_job.errors(): the same lines, also on the error.
    const all = await annotJob.errors();
    expect(all.map((r) => r.text)).to.deep.equal(e.errors.map((r) => r.text));
    expect(all[0]?.parsed?.['error']).to.equal("Item with id bad_ref_id doesn't exist.");
    expect((await annotJob.status()).status).to.equal('Errored_User');
  });

  it('follows a running job with live errors$, yielding each line exactly once', async () => {
    const dataset = await firstValueFrom(client.createDataset({ name: 'live' }));
    await firstValueFrom(dataset.append(items(2), { asynchronous: true })).then((j) => j.sleepUntilComplete());
    // 40 annotations naming no item: 20 steps of 2 lines (about 400 ms), one error line each.
    const annotations = Array.from({ length: 40 }, (_, i) => box(`missing_${i}`, `a${i}`));
    const job = await firstValueFrom(dataset.annotate(annotations, { asynchronous: true }));

    const whileRunning: boolean[] = [];
    const live = await lastValueFrom(
      job.errors$({ live: true }).pipe(
        tap(() => whileRunning.push(job.latest?.phase === 'pending')),
        toArray(),
      ),
    );
    const all = await job.errors();

    expect(live).to.have.length(40);
    expect(new Set(live.map((r) => r.referenceId)).size).to.equal(40);
    expect(live.map((r) => r.raw)).to.deep.equal(all.map((r) => r.raw));
    // Some lines arrived while the job was still running: the stream really followed it.
    expect(whileRunning.some(Boolean)).to.equal(true);
    expect(job.lastKnownStatus).to.equal('Errored_User');
  });

  it('rides out transient failures of the status route', async () => {
    const noRetry = new NucleusClient({
      apiKey: DEMO_API_KEY,
      endpoint: emu.url,
      retry: false,
      polling: { policy: exponentialBackoff({ initialDelayMs: 5, maxDelayMs: 20, failureDelayMs: 5, maxFailureDelayMs: 20 }) },
    });
    const dataset = await firstValueFrom(noRetry.createDataset({ name: 'flaky' }));
    const job = await firstValueFrom(dataset.append(items(4), { asynchronous: true }));
    emu.control.setFaults({
      schedule: [
        { route: 'job.status', calls: [2, 3], fault: 'http503' },
        { route: 'job.status', calls: [4], fault: 'reset' },
      ],
    });
    try {
      const final = await lastValueFrom(job.pipe(completeOrThrow()));
      expect(final.status).to.equal('Completed');
      expect(emu.control.counters().faults.http503).to.be.at.least(2);
    } finally {
      emu.control.setFaults(undefined);
    }
  });

  it('getJob and listJobs return AsyncJobs', async () => {
    const dataset = await firstValueFrom(client.createDataset({ name: 'lookup' }));
    const submitted = await firstValueFrom(dataset.append(items(2), { asynchronous: true }));
    const again = await firstValueFrom(client.getJob(submitted.jobId));
    expect(again).to.be.instanceOf(AsyncJob);
    expect((await again.sleepUntilComplete()).status).to.equal('Completed');
    const listed = await firstValueFrom(client.listJobs({ showCompleted: true, datasetId: dataset.id }));
    expect(listed.map((j) => j instanceof AsyncJob && j.jobId)).to.deep.equal([submitted.jobId]);
  });
});
