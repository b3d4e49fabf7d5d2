import { expect } from 'chai';
import { drawUnit, FaultInjector, validateFaultConfig, type FaultConfig } from '../../lib/emulator/faults.js';
import { startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { call, createDataset, itemLine, newRequestId, startManual, upload, type Fixture } from './helpers.js';

describe('emulator: fault injection', () => {
  describe('FaultInjector', () => {
    it('is deterministic for a seed, per route and call number, whatever the interleaving', () => {
      const config: FaultConfig = { seed: 42, probabilities: { http503: 0.2, reset: 0.1, http429: 0.1 } };
      const a = new FaultInjector(config);
      const b = new FaultInjector(config);
      const seqA = Array.from({ length: 200 }, () => a.decide('job.status')?.kind ?? '-');
      // b sees other routes in between: job.status decisions must not change.
      const seqB = Array.from({ length: 200 }, () => (b.decide('jobs.list'), b.decide('job.status')?.kind ?? '-'));
      expect(seqB).to.deep.equal(seqA);
      const other = new FaultInjector({ ...config, seed: 43 });
      expect(Array.from({ length: 200 }, () => other.decide('job.status')?.kind ?? '-')).not.to.deep.equal(seqA);
      const count = (k: string) => seqA.filter((x) => x === k).length;
      // 200 draws at 20% / 10%: the fixed seed gives fixed counts near the expectation.
      expect(count('http503')).to.be.within(25, 55);
      expect(count('reset')).to.be.within(8, 32);
    });

    it('draws uniformly', () => {
      let sum = 0;
      const buckets = new Array<number>(10).fill(0);
      let outOfRange = 0;
      for (let i = 1; i <= 10_000; i++) {
        const u = drawUnit(7, 'job.status', i);
        if (!(u >= 0 && u < 1)) outOfRange++;
        sum += u;
        buckets[Math.floor(u * 10)]!++;
      }
      expect(outOfRange).to.equal(0);
      expect(sum / 10_000).to.be.closeTo(0.5, 0.02);
      for (const n of buckets) expect(n).to.be.within(850, 1150);
    });

    it('applies schedules first, by route and 1-based call number, then probabilities only on the listed routes', () => {
      const inj = new FaultInjector({
        probabilities: { http500: 1 },
        routes: ['jobs.list'],
        schedule: [{ route: 'job.status', calls: [2, 3], fault: 'http429', retryAfterSeconds: 7 }, { route: '*', calls: [1], fault: 'delay', delayMs: 10 }],
      });
      expect(inj.decide('job.status')).to.deep.equal({ kind: 'delay', retryAfterSeconds: 1, retryAfterHttpDate: false, delayMs: 10 });
      expect(inj.decide('job.status')).to.deep.equal({ kind: 'http429', retryAfterSeconds: 7, retryAfterHttpDate: false, delayMs: 2000 });
      expect(inj.decide('job.status')?.kind).to.equal('http429');
      expect(inj.decide('job.status')).to.equal(undefined);
      expect(inj.decide('jobs.list')?.kind).to.equal('delay');
      expect(inj.decide('jobs.list')?.kind).to.equal('http500');
    });

    it('rejects bad configurations with a RangeError', () => {
      const bad: unknown[] = [
        { probabilities: { http503: 0.7, reset: 0.6 } },
        { probabilities: { teapot: 0.1 } },
        { probabilities: { http503: -1 } },
        { routes: ['job.nope'] },
        { schedule: [{ route: 'job.status', calls: [0], fault: 'reset' }] },
        { schedule: [{ route: 'job.status', calls: 'all', fault: 'explode' }] },
        { delayMs: -5 },
      ];
      for (const c of bad) expect(() => validateFaultConfig(c as FaultConfig), JSON.stringify(c)).to.throw(RangeError);
    });
  });

  describe('over HTTP', () => {
    let f: Fixture;
    afterEach(() => f.emu.close());

    it('answers 429 with Retry-After, 500/503 JSON, 502/504 HTML, and counts faults by kind', async () => {
      f = await startManual({
        faults: {
          schedule: [
            { route: 'job.status', calls: [1], fault: 'http429', retryAfterSeconds: 3 },
            { route: 'job.status', calls: [2], fault: 'http500' },
            { route: 'job.status', calls: [3], fault: 'http502' },
            { route: 'job.status', calls: [4], fault: 'http503' },
            { route: 'job.status', calls: [5], fault: 'http504' },
            { route: 'jobs.list', calls: [1], fault: 'http429', retryAfterSeconds: 5, retryAfterHttpDate: true },
          ],
        },
      });
      const url = `${f.emu.url}/job/job_x`;
      const r429 = await call(url);
      expect(r429.status).to.equal(429);
      expect(r429.headers.get('retry-after')).to.equal('3');
      expect(r429.json.error).to.be.a('string');
      expect((await call(url)).status).to.equal(500);
      const r502 = await call(url);
      expect(r502.status).to.equal(502);
      expect(r502.headers.get('content-type')).to.contain('text/html');
      expect(r502.json).to.equal(undefined);
      expect((await call(url)).status).to.equal(503);
      expect((await call(url)).status).to.equal(504);
      expect((await call(url)).status).to.equal(404); // no more faults: the real answer
      const dated = await call(`${f.emu.url}/jobs/`, { body: {} });
      expect(dated.status).to.equal(429);
      expect(dated.headers.get('retry-after')).to.equal('Sat, 28 Nov 2026 10:00:05 GMT');
      const c = f.emu.control.counters();
      expect(c.faults).to.include({ http429: 2, http500: 1, http502: 1, http503: 1, http504: 1, reset: 0 });
      expect(c.requests['job.status']).to.equal(6);
      expect(c.responses).to.include({ '429': 2, '500': 1, '502': 1, '503': 1, '504': 1, '404': 1 });
    });

    it('resets the connection without processing the request', async () => {
      f = await startManual({ faults: { schedule: [{ route: 'dataset.create', calls: [1], fault: 'reset' }] } });
      let failed: unknown;
      await call(`${f.emu.url}/dataset/create`, { body: { name: 'x' } }).catch((e: unknown) => (failed = e));
      expect(failed).to.be.instanceOf(TypeError);
      expect(f.emu.control.counters().faults.reset).to.equal(1);
      const ok = await call(`${f.emu.url}/dataset/create`, { body: { name: 'x' } });
      expect(ok.status).to.equal(200);
    });

    it('truncates or replaces the body of a processed request: a retry with the same requestId answers the same job', async () => {
      f = await startManual({ faults: { schedule: [{ route: 'dataset.append', calls: [1], fault: 'truncate' }, { route: 'dataset.append', calls: [2], fault: 'nonJson' }] } });
      const ds = await createDataset(f.emu);
      const requestId = newRequestId();
      let failed: unknown;
      await upload(f.emu, ds, 'append', itemLine('a'), { requestId }).catch((e: unknown) => (failed = e));
      expect(failed, 'truncated body').to.be.instanceOf(TypeError);
      expect(f.emu.control.jobStates()).to.have.length(1);
      const html = await call(`${f.emu.url}/dataset/${ds}/append?async=1`, { body: { requestId } });
      expect(html.status).to.equal(200);
      expect(html.headers.get('content-type')).to.contain('text/html');
      expect(html.json).to.equal(undefined);
      const real = await call(`${f.emu.url}/dataset/${ds}/append?async=1`, { body: { requestId } });
      expect(real.json.job_id).to.equal(f.emu.control.jobStates()[0]!.jobId);
      expect(f.emu.control.jobStates()).to.have.length(1);
    });

    it('fails the signed-URL PUT too, storing nothing', async () => {
      f = await startManual({ faults: { schedule: [{ route: 'upload.put', calls: [1], fault: 'http503' }] } });
      const ds = await createDataset(f.emu);
      const signed = (await call(`${f.emu.url}/dataset/${ds}/signedUrl/r1`)).json.signed_url as string;
      const put = await fetch(signed, { method: 'PUT', body: itemLine('a') });
      expect(put.status).to.equal(503);
      await put.text();
      const early = await call(`${f.emu.url}/dataset/${ds}/append?async=1`, { body: { requestId: 'r1' } });
      expect(early.status).to.equal(400);
      expect((await fetch(signed, { method: 'PUT', body: itemLine('a') })).status).to.equal(200);
      expect((await call(`${f.emu.url}/dataset/${ds}/append?async=1`, { body: { requestId: 'r1' } })).status).to.equal(200);
    });

    it('delays an answer by emulator time', async () => {
      f = await startManual({ faults: { schedule: [{ route: 'jobs.list', calls: [1], fault: 'delay', delayMs: 5000 }] } });
      let settled = false;
      const pending = call(`${f.emu.url}/jobs/`, { body: {} }).then((r) => ((settled = true), r));
      while (f.emu.control.counters().faults.delay === 0) await new Promise((r) => setTimeout(r, 5));
      expect(settled).to.equal(false);
      f.clock.advance(4999);
      await new Promise((r) => setImmediate(r));
      expect(settled).to.equal(false);
      f.clock.advance(1);
      expect((await pending).status).to.equal(200);
    });

    it('gives the same faults for the same seed, run after run', async () => {
      const run = async (seed: number): Promise<number[]> => {
        const emu: EmulatorHandle = await startEmulator({ faults: { seed, probabilities: { http503: 0.25, http429: 0.15, http502: 0.1 } } });
        try {
          const statuses: number[] = [];
          for (let i = 0; i < 40; i++) statuses.push((await call(`${emu.url}/job/job_x`)).status);
          return statuses;
        } finally {
          await emu.close();
        }
      };
      const first = await run(11);
      expect(await run(11)).to.deep.equal(first);
      expect(await run(12)).not.to.deep.equal(first);
      expect(first.filter((s) => s !== 404).length).to.be.within(6, 34);
      f = await startManual();
    });

    it('changes faults at run time through the control API, programmatic and HTTP', async () => {
      f = await startManual();
      const url = `${f.emu.url}/job/job_x`;
      expect((await call(url)).status).to.equal(404);
      f.emu.control.setFaults({ schedule: [{ route: 'job.status', calls: 'all', fault: 'http503' }] });
      expect((await call(url)).status).to.equal(503);
      const put = await call(`${f.emu.origin}/__emulator/faults`, { method: 'PUT', key: null, body: { schedule: [{ route: 'job.status', calls: [1], fault: 'http429' }] } });
      expect(put.status).to.equal(200);
      expect(put.json.faults.schedule[0].fault).to.equal('http429');
      expect((await call(url)).status, 'call numbers restart with a new configuration').to.equal(429);
      expect((await call(url)).status).to.equal(404);
      const bad = await call(`${f.emu.origin}/__emulator/faults`, { method: 'PUT', key: null, body: { probabilities: { http503: 2 } } });
      expect(bad.status).to.equal(400);
      expect((await call(`${f.emu.origin}/__emulator/faults`, { key: null })).json.faults.schedule).to.have.length(1);
      expect((await call(`${f.emu.origin}/__emulator/faults`, { method: 'DELETE', key: null })).json).to.deep.equal({ faults: null });
      expect(f.emu.control.faults()).to.equal(undefined);
    });

    it('never injects faults into the control API or preflights', async () => {
      f = await startManual({ faults: { probabilities: { reset: 1 } } });
      expect((await call(`${f.emu.origin}/__emulator/counters`, { key: null })).status).to.equal(200);
      const pre = await fetch(`${f.emu.url}/jobs/`, { method: 'OPTIONS', headers: { origin: 'http://localhost:1', 'access-control-request-method': 'POST' } });
      expect(pre.status).to.equal(204);
    });
  });
});
