/**
 * NucleusClient against the emulator over real HTTP on 127.0.0.1, with the default fetch
 * (cross-fetch). Jobs are waited for by polling getStatus (AsyncJob comes with the jobs module).
 */
import { expect } from 'chai';
import { type Observable, concatMap, filter, firstValueFrom, lastValueFrom, take, timeout, timer } from 'rxjs';
import { startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { NucleusClient } from '../../lib/nucleus-client.js';
import type { JobStatus } from '../../lib/codecs/job.js';
import { phaseOf } from '../../lib/job-snapshot.js';
import { fetch as crossFetch } from 'cross-fetch';
import type { FetchLike } from '../../lib/http/fetch-answer.js';
import { AuthenticationError, NotFoundError, ValidationError } from '../../lib/errors.js';

const KEY = 'integration-key-1';
const LIMITED = 'integration-limited-1';

const items = [
  { reference_id: 'img_1', image_url: 's3://bucket/img_1.jpg', metadata: { camera: 'front' } },
  { reference_id: 'img_2', image_url: 's3://bucket/img_2.jpg', width: 640, height: 480 },
  { reference_id: 'img_3', image_url: 'https://example.test/img_3.jpg' },
];

function settled$(client: NucleusClient, jobId: string): Observable<JobStatus> {
  return timer(0, 20).pipe(
    concatMap(() => client.getStatus(jobId)),
    filter((s) => phaseOf(s.status) !== 'pending'),
    take(1),
    timeout(10_000),
  );
}

describe('NucleusClient against the emulator', () => {
  let emu: EmulatorHandle;
  let client: NucleusClient;

  before(async () => {
    emu = await startEmulator({ apiKeys: [KEY], limitedAccessKeys: [LIMITED], queueMs: 10, stepMs: 10 });
    client = new NucleusClient({ apiKey: KEY, endpoint: emu.url, retry: { initialDelayMs: 20, maxDelayMs: 100 } });
  });
  after(async () => {
    await emu.close();
  });
  afterEach(() => emu.control.setFaults(undefined));

  it('creates a dataset, appends items asynchronously and the job completes', async () => {
    const dataset = await firstValueFrom(client.createDataset({ name: 'cars' }));
    expect(dataset.id).to.be.a('string').and.not.equal('');
    expect(dataset.name).to.equal('cars');
    const job = await lastValueFrom(dataset.append(items, { asynchronous: true }));
    expect(job.jobType).to.equal('uploadDatasetItems');
    const final = await firstValueFrom(settled$(client, job.jobId));
    expect(final.status).to.equal('Completed');
    expect(await firstValueFrom(client.getErrors(job.jobId))).to.deep.equal([]);
  });

  it('annotates with a bad reference id: the rest lands and the job reports the error line', async () => {
    const dataset = await firstValueFrom(client.createDataset({ name: 'annotated' }));
    await firstValueFrom(settled$(client, (await firstValueFrom(dataset.append(items, { asynchronous: true }))).jobId));
    const job = await firstValueFrom(
      dataset.annotate(
        [
          { type: 'box', label: 'car', reference_id: 'img_1', annotation_id: 'a1', geometry: { x: 1, y: 2, width: 3, height: 4 } },
          { type: 'box', label: 'car', reference_id: 'bad_ref_id', annotation_id: 'attempted_annot_upload', geometry: { x: 50, y: 60, width: 70, height: 80 }, metadata: {} },
          { type: 'category', label: 'day', reference_id: 'img_2', geometry: {} },
        ],
        { asynchronous: true, update: false },
      ),
    );
    expect(job.jobType).to.equal('uploadAnnotations');
    const final = await firstValueFrom(settled$(client, job.jobId));
    expect(final.status).to.match(/^(Completed|Errored_Partial)$/);
    const errors = await firstValueFrom(client.getErrors(job.jobId));
    expect(errors).to.have.length(1);
    const record = JSON.parse(errors[0]!) as { annotation: { referenceId: string; annotationId: string }; error: string };
    expect(record.annotation.referenceId).to.equal('bad_ref_id');
    expect(record.annotation.annotationId).to.equal('attempted_annot_upload');
    expect(record.error).to.equal("Item with id bad_ref_id doesn't exist.");
  });

  it('lists jobs with filters', async () => {
    const dataset = await firstValueFrom(client.createDataset({ name: 'listed' }));
    const append = await firstValueFrom(dataset.append(items, { asynchronous: true }));
    await firstValueFrom(settled$(client, append.jobId));
    const annotate = await firstValueFrom(
      dataset.annotate([{ type: 'category', label: 'day', reference_id: 'img_1', geometry: {} }], { asynchronous: true }),
    );
    await firstValueFrom(settled$(client, annotate.jobId));

    const all = await firstValueFrom(client.listJobs({ showCompleted: true, datasetId: dataset.id }));
    expect(all.map((j) => j.jobId).sort()).to.deep.equal([append.jobId, annotate.jobId].sort());

    const annotations = await firstValueFrom(client.listJobs({ showCompleted: true, datasetId: dataset.id, jobTypes: ['uploadAnnotations'] }));
    expect(annotations.map((j) => j.jobId)).to.deep.equal([annotate.jobId]);

    const running = await firstValueFrom(client.listJobs({ showCompleted: false, datasetId: dataset.id }));
    expect(running).to.deep.equal([]);

    const future = await firstValueFrom(client.listJobs({ showCompleted: true, datasetId: dataset.id, fromDate: new Date(Date.now() + 86_400_000) }));
    expect(future).to.deep.equal([]);

    const limited = await firstValueFrom(client.listJobs({ showCompleted: true, datasetId: dataset.id, limit: 1 }));
    expect(limited).to.have.length(1);
  });

  it('rebuilds a job from its id alone', async () => {
    const dataset = await firstValueFrom(client.createDataset({ name: 'rebuilt' }));
    const started = await firstValueFrom(dataset.append(items, { asynchronous: true }));
    await firstValueFrom(settled$(client, started.jobId));
    const rebuilt = await firstValueFrom(new NucleusClient({ apiKey: KEY, endpoint: emu.url }).getJob(started.jobId));
    expect(rebuilt).to.deep.include({ jobId: started.jobId, jobType: 'uploadDatasetItems', lastKnownStatus: 'Completed' });
    expect(rebuilt.createdAt).to.equal(started.createdAt);
    await firstValueFrom(client.getJob('job_does_not_exist')).then(
      () => expect.fail('expected NotFoundError'),
      (e) => expect(e).to.be.instanceOf(NotFoundError),
    );
  });

  it('starts exactly one job when the append answer is lost after the server processed it', async () => {
    const dataset = await firstValueFrom(client.createDataset({ name: 'once' }));
    const before = emu.control.jobStates().length;
    // The POST is processed, but its answer is cut off: the client retries it with the same requestId.
    emu.control.setFaults({ schedule: [{ route: 'dataset.append', calls: [1], fault: 'truncate' }] });
    const job = await firstValueFrom(dataset.append(items, { asynchronous: true }));
    expect(emu.control.counters().faults.truncate).to.be.greaterThan(0);
    expect(emu.control.jobStates().length).to.equal(before + 1);
    expect(emu.control.jobState(job.jobId)).not.to.equal(undefined);
  });

  it('with cross-fetch (which hangs on a cut body) the timeout ends the attempt and the retry still starts one job', async () => {
    const withCrossFetch = new NucleusClient({
      apiKey: KEY,
      endpoint: emu.url,
      fetch: crossFetch as unknown as FetchLike,
      timeoutMs: 300,
      retry: { initialDelayMs: 20, maxDelayMs: 100 },
    });
    const dataset = await firstValueFrom(withCrossFetch.createDataset({ name: 'cross' }));
    const before = emu.control.jobStates().length;
    emu.control.setFaults({ schedule: [{ route: 'dataset.append', calls: [1], fault: 'truncate' }] });
    const job = await firstValueFrom(dataset.append(items, { asynchronous: true }));
    expect(emu.control.jobStates().length).to.equal(before + 1);
    expect(emu.control.jobState(job.jobId)).not.to.equal(undefined);
  });

  it('retries transient faults of every step of an upload', async () => {
    const dataset = await firstValueFrom(client.createDataset({ name: 'flaky' }));
    emu.control.setFaults({
      schedule: [
        { route: 'dataset.signedUrl', calls: [1], fault: 'http503' },
        { route: 'upload.put', calls: [1], fault: 'reset' },
        { route: 'dataset.append', calls: [1], fault: 'http502' },
        { route: 'job.status', calls: [1], fault: 'http429', retryAfterSeconds: 0 },
      ],
    });
    emu.control.resetCounters();
    const job = await firstValueFrom(dataset.append(items, { asynchronous: true }));
    expect((await firstValueFrom(settled$(client, job.jobId))).status).to.equal('Completed');
    const { faults, requests } = emu.control.counters();
    expect([faults.http503, faults.reset, faults.http502, faults.http429]).to.deep.equal([1, 1, 1, 1]);
    expect(requests['dataset.append']).to.equal(2);
    expect(requests['upload.put']).to.equal(2);
  });

  it('authenticates with a limited access key, and refuses a wrong key without echoing it', async () => {
    const limited = new NucleusClient({ limitedAccessKey: LIMITED, endpoint: emu.url });
    const dataset = await firstValueFrom(limited.createDataset({ name: 'limited' }));
    expect(dataset.id).to.be.a('string');
    const wrong = new NucleusClient({ apiKey: 'not-the-key', endpoint: emu.url });
    const e = await firstValueFrom(wrong.listJobs()).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).to.be.instanceOf(AuthenticationError);
    expect((e as Error).message).not.to.contain('not-the-key');
  });

  it('refuses local paths before uploading anything', async () => {
    const dataset = await firstValueFrom(client.createDataset({ name: 'local' }));
    emu.control.resetCounters();
    const e = await firstValueFrom(dataset.append([{ reference_id: 'a', image_url: '/home/me/a.jpg' }], { asynchronous: true })).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).to.be.instanceOf(ValidationError);
    const requests = emu.control.counters().requests;
    expect(JSON.stringify(requests)).to.not.match(/signedUrl|upload|append/);
  });

  it('refuses a non-boolean update, or an item that cannot be serialised, with nothing reaching the server', async () => {
    const dataset = await firstValueFrom(client.createDataset({ name: 'bad-options' }));
    const linesBefore = emu.control.counters().lines.received;
    emu.control.resetCounters();
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    const uploads = [
      dataset.append(items, { asynchronous: true, update: 'yes' as never }),
      dataset.append([items[0]!, { reference_id: 'big', image_url: 's3://b/big.jpg', metadata: { n: 10n } }], { asynchronous: true }),
      dataset.append([{ reference_id: 'c', image_url: 's3://b/c.jpg', metadata: cycle }], { asynchronous: true, update: true }),
    ];
    for (const upload$ of uploads) {
      const e = await firstValueFrom(upload$).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).to.be.instanceOf(ValidationError);
    }
    const { requests, lines } = emu.control.counters();
    expect(requests).to.deep.equal({});
    expect(lines.received).to.equal(linesBefore);
    expect(emu.control.jobStates().filter((j) => j.datasetId === dataset.id)).to.deep.equal([]);
  });
});
