/**
 * The README's quickstart, run as written against the emulator, so the README stays true.
 * Keep the body of each test in step with README.md.
 */
import { expect } from 'chai';
import { firstValueFrom } from 'rxjs';
import { DEMO_API_KEY, startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { concatJobs, isJobError, NucleusClient, type JobError } from '../../lib/index.js';

const items = Array.from({ length: 20 }, (_, i) => ({ reference_id: `img_${i}`, image_url: `s3://bucket/img_${i}.jpg` }));
const annotations = [
  { label: 'car', type: 'box' as const, geometry: { x: 50, y: 60, width: 70, height: 80 }, reference_id: 'img_1', annotation_id: 'a1' },
  { label: 'car', type: 'box' as const, geometry: { x: 50, y: 60, width: 70, height: 80 }, reference_id: 'bad_ref_id', annotation_id: 'attempted_annot_upload' },
];

describe('README quickstart', () => {
  let emu: EmulatorHandle;
  let client: NucleusClient;
  let datasetId: string;

  before(async () => {
    // A queue wait long enough that every job is first seen Queued, even on a loaded machine.
    emu = await startEmulator({ queueMs: 300, stepMs: 5, linesPerStep: 5 });
    client = new NucleusClient({ apiKey: DEMO_API_KEY, endpoint: emu.url, polling: { policy: () => 20 } });
    datasetId = (await firstValueFrom(client.createDataset({ name: 'readme' }))).id;
  });
  after(() => emu.close());

  it('appends, finds the job again, reads status and errors, sleeps until complete', async () => {
    const dataset = client.dataset(datasetId);
    const job = await firstValueFrom(dataset.append(items, { asynchronous: true }));
    const same = await firstValueFrom(client.getJob(job.jobId));
    const all = await firstValueFrom(client.listJobs({ showCompleted: true }));
    const snapshot = await job.status();
    const errors = await job.errors();
    const final = await job.sleepUntilComplete();

    expect(same.jobId).to.equal(job.jobId);
    expect(all.map((j) => j.jobId)).to.include(job.jobId);
    expect(snapshot.jobId).to.equal(job.jobId);
    expect(errors).to.deep.equal([]);
    expect(final.status).to.equal('Completed');
  });

  it('runs append then annotate as one stream, ending in a JobError naming the bad reference id', async () => {
    const dataset = client.dataset(datasetId);
    const lines: string[] = [];
    const failure = await new Promise<JobError | undefined>((resolve, reject) => {
      concatJobs(
        () => dataset.append(items, { asynchronous: true, update: true }),
        () => dataset.annotate(annotations, { asynchronous: true }),
      ).subscribe({
        next: (s) => lines.push(`step ${s.step + 1}/${s.steps} ${s.status} ${Math.round((s.progress ?? 0) * 100)} %`),
        error: (e: unknown) => (isJobError(e) ? resolve(e) : reject(e)),
        complete: () => resolve(undefined),
      });
    });
    expect(lines[0]).to.match(/^step 1\/2 /);
    expect(lines).to.include('step 1/2 Completed 100 %');
    // The failed terminal snapshot is not emitted: it becomes the JobError.
    expect(lines.at(-1)).to.match(/^step 2\/2 (Queued|Running) /);
    expect(failure, 'the annotate step fails partially').to.not.equal(undefined);
    expect(failure!.status).to.equal('Errored_Partial');
    expect(failure!.errors.map((r) => r.referenceId)).to.deep.equal(['bad_ref_id']);
  });
});
