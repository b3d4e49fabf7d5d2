import { expect } from 'chai';
import { call, createDataset, itemLine, startManual, upload, type Fixture } from './helpers.js';

describe('emulator: control API', () => {
  let f: Fixture;
  let ds: string;
  let job: string;
  beforeEach(async () => {
    f = await startManual();
    ds = await createDataset(f.emu);
    job = (await upload(f.emu, ds, 'append', Array.from({ length: 30 }, (_, i) => itemLine(`i${i}`)).join('\n'))).json.job_id;
  });
  afterEach(() => f.emu.close());

  const status = async () => (await call(`${f.emu.url}/job/${job}`)).json;

  it("reads a job's true state", () => {
    f.clock.advance(1100);
    expect(f.emu.control.jobState(job)).to.deep.include({
      jobId: job, datasetId: ds, jobType: 'uploadDatasetItems', status: 'Running', jobProgress: '0.33', completedSteps: 1, totalSteps: 3,
      linesReceived: 30, linesAccepted: 10, linesRejected: 0, linesPending: 20, pinned: false, createdAt: '2026-11-28T10:00:00Z',
    });
    expect(f.emu.control.jobState('job_unknown')).to.equal(undefined);
  });

  it('cancels a job where it is, and says what was not processed', async () => {
    f.clock.advance(1100);
    const s = f.emu.control.cancelJob(job);
    expect(s).to.include({ status: 'Cancelled', linesAccepted: 10, linesPending: 20 });
    f.clock.advance(10_000);
    const answered = await status();
    expect(answered.status).to.equal('Cancelled');
    expect(answered.message).to.equal('Job cancelled: 30 lines received: 10 accepted, 0 rejected, 20 not processed.');
    expect(() => f.emu.control.cancelJob('job_unknown')).to.throw(RangeError);
  });

  it('leaves an ended job as it is when cancelled', () => {
    f.clock.advance(10_000);
    expect(f.emu.control.cancelJob(job).status).to.equal('Completed');
  });

  it('forces any state and message (escape sequences included) and pins the job', async () => {
    const message = 'evil \u001b[2J\u001b]0;title\u0007 done\r\nnext';
    f.emu.control.forceJobState(job, { status: 'Errored_Server', message, jobProgress: 'NaN%', completedSteps: 7, totalSteps: 9 });
    f.clock.advance(60_000);
    expect(await status()).to.deep.equal({ job_id: job, status: 'Errored_Server', message, job_progress: 'NaN%', completed_steps: '7', total_steps: '9' });
    expect(f.emu.control.jobState(job)!.pinned).to.equal(true);
  });

  it('forces a state and lets the engine go on with pin: false', async () => {
    f.emu.control.forceJobState(job, { status: 'Running', pin: false });
    f.clock.advance(3000);
    expect((await status()).status).to.equal('Completed');
  });

  it('pauses and resumes the engine', async () => {
    f.clock.advance(1100);
    f.emu.control.pause();
    expect(f.emu.control.paused).to.equal(true);
    f.clock.advance(60_000);
    expect(await status()).to.include({ status: 'Running', completed_steps: '1' });
    f.emu.control.resume();
    f.clock.advance(999);
    expect(await status()).to.include({ completed_steps: '1' });
    f.clock.advance(1);
    expect(await status()).to.include({ completed_steps: '2' });
    f.clock.advance(1000);
    expect((await status()).status).to.equal('Completed');
  });

  it('counts requests by route, answers by status, jobs by state and lines', async () => {
    await call(`${f.emu.url}/job/${job}`);
    await call(`${f.emu.url}/job/nope`);
    await call(`${f.emu.url}/nope`);
    const c = f.emu.control.counters();
    expect(c.requests).to.include({ 'dataset.create': 1, 'dataset.signedUrl': 1, 'upload.put': 1, 'dataset.append': 1, 'job.status': 2, unmatched: 1 });
    expect(c.responses).to.include({ '200': 5, '404': 2 });
    expect(c.jobs).to.deep.equal({ Queued: 1 });
    expect(c.lines).to.deep.equal({ received: 30, accepted: 0, rejected: 0 });
    f.clock.advance(10_000);
    expect(f.emu.control.counters().lines).to.deep.equal({ received: 30, accepted: 30, rejected: 0 });
    expect(f.emu.control.counters().jobs).to.deep.equal({ Completed: 1 });
    f.emu.control.resetCounters();
    expect(f.emu.control.counters().requests).to.deep.equal({});
  });

  it('reports every request to onRequest: route, status, fault, never a header', async () => {
    await f.emu.close();
    const events: unknown[] = [];
    f = await startManual({ onRequest: (e) => events.push(e), faults: { schedule: [{ route: 'job.status', calls: [2], fault: 'reset' }] } });
    await call(`${f.emu.url}/job/job_x`);
    await call(`${f.emu.url}/job/job_x`).catch(() => undefined);
    await call(`${f.emu.url}/job/job_x`, { key: 'wrong' });
    expect(events.map((e) => { const { requestId, ms, ...rest } = e as { requestId: string; ms: number }; return rest; })).to.deep.equal([
      { method: 'GET', route: 'job.status', status: 404, fault: undefined },
      { method: 'GET', route: 'job.status', status: 'reset', fault: 'reset' },
      { method: 'GET', route: 'job.status', status: 401, fault: undefined },
    ]);
    expect(JSON.stringify(events)).not.to.contain('wrong');
  });

  describe('over HTTP under /__emulator', () => {
    const ctl = (path: string, init: { method?: string; body?: unknown } = {}) => call(`${f.emu.origin}/__emulator/${path}`, { key: null, ...init });

    it('serves health, counters, jobs, cancel, state, pause and resume', async () => {
      expect((await ctl('health')).json).to.deep.equal({ ok: true, paused: false });
      expect((await ctl('jobs')).json.map((j: { jobId: string }) => j.jobId)).to.deep.equal([job]);
      expect((await ctl(`jobs/${job}`)).json).to.include({ jobId: job, status: 'Queued' });
      expect((await ctl('jobs/job_nope')).status).to.equal(404);
      expect((await ctl('pause', { method: 'POST' })).json).to.deep.equal({ paused: true });
      f.clock.advance(60_000);
      expect((await ctl(`jobs/${job}`)).json.status).to.equal('Queued');
      expect((await ctl('resume', { method: 'POST' })).json).to.deep.equal({ paused: false });
      const forced = await ctl(`jobs/${job}/state`, { method: 'POST', body: { status: 'Retried', message: { result: ['u'] } } });
      expect(forced.json).to.include({ status: 'Retried', pinned: true });
      expect((await status()).message).to.deep.equal({ result: ['u'] });
      expect((await ctl(`jobs/${job}/state`, { method: 'POST', body: {} })).status).to.equal(400);
      expect((await ctl('jobs/job_nope/cancel', { method: 'POST' })).status).to.equal(404);
      expect((await ctl(`jobs/${job}/cancel`, { method: 'POST' })).json.status).to.equal('Cancelled');
      expect((await ctl('counters')).json.requests.control).to.be.greaterThan(5);
      expect((await ctl('counters', { method: 'DELETE' })).status).to.equal(405);
      expect((await ctl('nope')).status).to.equal(404);
    });

    it('is off with httpControl: false', async () => {
      await f.emu.close();
      f = await startManual({ httpControl: false });
      expect((await ctl('counters')).status).to.equal(404);
      expect(f.emu.control.counters().requests.control).to.equal(1);
    });
  });
});
