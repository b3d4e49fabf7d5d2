import { expect } from 'chai';
import { call, createDataset, itemLine, rawRequest, startManual, upload, type Fixture } from './helpers.js';

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

    describe('from a web page (cross-site request forgery)', () => {
      const ONE_LINE_JSON_ERROR = /^\{"error":"[^"\n]+"\}$/;
      // What a page can send without a preflight: a form or a text/plain fetch, carrying its Origin.
      const post = (path: string, headers: Record<string, string>, body = '{"status":"Errored_Server","message":"pwned"}') =>
        rawRequest(`${f.emu.origin}/__emulator/${path}`, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body: Buffer.from(body) });
      const untouched = (): void => {
        expect(f.emu.control.paused, 'engine not paused').to.equal(false);
        expect(f.emu.control.jobState(job)).to.include({ status: 'Queued', pinned: false });
        expect(f.emu.control.faults()).to.equal(undefined);
      };

      it('refuses a simple POST from a foreign origin with a 403 and changes nothing', async () => {
        const foreign = ['http://evil.example', 'null', 'http://localhost:4200', `https://127.0.0.1:${f.emu.port}`, `http://127.0.0.1.evil.example:${f.emu.port}`];
        for (const origin of foreign) {
          for (const path of ['pause', `jobs/${job}/state`, `jobs/${job}/cancel`, 'counters/reset']) {
            const r = await post(path, { origin });
            expect(r.status, `${origin} ${path}`).to.equal(403);
            expect(r.text).to.match(ONE_LINE_JSON_ERROR);
            expect(r.headers['access-control-allow-origin'], origin).to.equal(undefined);
          }
          const faults = await rawRequest(`${f.emu.origin}/__emulator/faults`, { method: 'PUT', headers: { origin, 'content-type': 'application/json' }, body: Buffer.from('{"probabilities":{"reset":1}}') });
          expect(faults.status, `${origin} PUT faults`).to.equal(403);
          expect((await rawRequest(`${f.emu.origin}/__emulator/counters`, { method: 'GET', headers: { origin } })).status, `${origin} GET`).to.equal(403);
        }
        // A browser that marks the request cross-site counts as foreign even without an Origin header.
        expect((await post('pause', { 'sec-fetch-site': 'cross-site' })).status).to.equal(403);
        expect((await post('pause', { 'sec-fetch-site': 'same-site' })).status).to.equal(403);
        untouched();
        expect(f.emu.control.counters().requests.control, 'counted, not reset').to.be.greaterThan(20);
        // The Host guard (DNS rebinding) still comes first, whatever the Origin says.
        const rebound = await rawRequest(`${f.emu.origin}/__emulator/pause`, { method: 'POST', headers: { host: `evil.example:${f.emu.port}`, origin: f.emu.origin } });
        expect(rebound.status).to.equal(403);
        untouched();
        // The same write from the server's own origin, or from a client that sends no Origin (Node, curl, the CLI), goes through.
        for (const origin of [f.emu.origin, `http://localhost:${f.emu.port}`, `http://[::1]:${f.emu.port}`]) {
          const own = await rawRequest(`${f.emu.origin}/__emulator/pause`, { method: 'POST', headers: { origin } });
          expect(own.status, origin).to.equal(200);
          expect(f.emu.control.paused).to.equal(true);
          f.emu.control.resume();
        }
        const forced = await rawRequest(`${f.emu.origin}/__emulator/jobs/${job}/state`, {
          method: 'POST', headers: { 'content-type': 'application/json', 'sec-fetch-site': 'same-origin' }, body: Buffer.from('{"status":"Errored_Server"}'),
        });
        expect(forced.status).to.equal(200);
        expect(f.emu.control.jobState(job)!.status).to.equal('Errored_Server');
      });

      it('refuses a control write whose body is not declared JSON (415), so a browser must preflight it', async () => {
        for (const [path, type, body] of [
          [`jobs/${job}/state`, 'text/plain', undefined],
          [`jobs/${job}/state`, 'text/plain;charset=UTF-8', undefined],
          [`jobs/${job}/cancel`, 'application/x-www-form-urlencoded', 'a=1'],
          ['pause', 'multipart/form-data; boundary=x', '--x--\r\n'],
          ['pause', 'text/plain', ''],
        ] as const) {
          const r = await post(path, { 'content-type': type }, body);
          expect(r.status, `${path} ${type}`).to.equal(415);
          expect(r.text).to.match(ONE_LINE_JSON_ERROR);
        }
        const chunked = await rawRequest(`${f.emu.origin}/__emulator/pause`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' }, body: Buffer.from('x') });
        expect(chunked.status, 'a body without any Content-Type').to.equal(415);
        untouched();
        const json = await rawRequest(`${f.emu.origin}/__emulator/jobs/${job}/state`, { method: 'POST', headers: { 'content-type': 'Application/JSON; charset=utf-8' }, body: Buffer.from('{"status":"Retried"}') });
        expect(json.status).to.equal(200);
        expect((await rawRequest(`${f.emu.origin}/__emulator/pause`, { method: 'POST' })).status, 'no body, no Content-Type').to.equal(200);
      });

      it('grants no origin in preflights or answers of /__emulator/, while the API keeps its CORS', async () => {
        for (const origin of ['http://localhost:4200', 'http://evil.example']) {
          const pre = await fetch(`${f.emu.origin}/__emulator/pause`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
          expect(pre.status, origin).to.equal(403);
          expect(await pre.json()).to.have.property('error').that.is.a('string');
          for (const h of ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-headers']) expect(pre.headers.get(h), `${origin} ${h}`).to.equal(null);
        }
        const own = await fetch(`${f.emu.origin}/__emulator/pause`, { method: 'OPTIONS', headers: { origin: f.emu.origin, 'access-control-request-method': 'POST' } });
        expect(own.status).to.equal(204);
        expect(own.headers.get('access-control-allow-origin')).to.equal(null);
        const read = await call(`${f.emu.origin}/__emulator/health`, { key: null, headers: { origin: f.emu.origin } });
        expect(read.status).to.equal(200);
        expect(read.headers.get('access-control-allow-origin'), 'same origin needs no CORS grant').to.equal(null);
        const api = await fetch(`${f.emu.url}/jobs/`, { method: 'OPTIONS', headers: { origin: 'http://localhost:4200', 'access-control-request-method': 'POST' } });
        expect(api.status).to.equal(204);
        expect(api.headers.get('access-control-allow-origin')).to.equal('http://localhost:4200');
        untouched();
      });
    });

    it('is off with httpControl: false', async () => {
      await f.emu.close();
      f = await startManual({ httpControl: false });
      expect((await ctl('counters')).status).to.equal(404);
      expect(f.emu.control.counters().requests.control).to.equal(1);
    });
  });
});
