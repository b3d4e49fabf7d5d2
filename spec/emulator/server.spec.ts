import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { DEMO_API_KEY, startEmulator } from '../../lib/emulator/index.js';
import { basic, boxLine, call, createDataset, itemLine, rawRequest, runToEnd, startManual, upload, type Fixture } from './helpers.js';

const GUIDE_ERROR =
  '{"annotation":{"label":"car","type":"box","geometry":{"x":50,"y":60,"width":70,"height":80},"referenceId":"bad_ref_id","annotationId":"attempted_annot_upload","metadata":{}},"error":"Item with id bad_ref_id doesn\'t exist."}';

describe('emulator: startEmulator', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startManual();
  });
  afterEach(() => f.emu.close());

  it('listens on 127.0.0.1 with a /v1/nucleus base URL', () => {
    expect(f.emu.url).to.equal(`http://127.0.0.1:${f.emu.port}/v1/nucleus`);
    expect(f.emu.port).to.be.greaterThan(0);
  });

  it('runs the full flow: dataset, signed URL, PUT, async append polled to Completed, annotate with a bad reference, errors, info, list', async () => {
    const { emu, clock } = f;
    const created = await call(`${emu.url}/dataset/create`, { body: { name: 'flow', is_scene: false, use_privacy_mode: false } });
    expect(created.status).to.equal(200);
    const ds = created.json.dataset_id as string;
    expect(ds).to.match(/^ds_[0-9a-z]{20}$/);

    const lines = Array.from({ length: 25 }, (_, i) => itemLine(`img_${i}`)).join('\n') + '\n';
    const started = await upload(emu, ds, 'append', lines);
    expect(started.status).to.equal(200);
    expect(started.json).to.have.all.keys('job_id', 'job_last_known_status', 'job_type', 'job_creation_time');
    expect(started.json).to.include({ job_last_known_status: 'Queued', job_type: 'uploadDatasetItems', job_creation_time: '2026-11-28T10:00:00Z' });
    const job = started.json.job_id as string;

    const status = async () => (await call(`${emu.url}/job/${job}`)).json;
    expect(await status()).to.deep.equal({
      job_id: job, status: 'Queued', message: 'Job is queued: 25 lines received.', job_progress: '0', completed_steps: '0', total_steps: '3',
    });
    clock.advance(100);
    expect(await status()).to.include({ status: 'Running', job_progress: '0', completed_steps: '0', total_steps: '3' });
    clock.advance(1000);
    expect(await status()).to.include({ status: 'Running', job_progress: '0.33', completed_steps: '1', total_steps: '3' });
    clock.advance(1000);
    expect(await status()).to.include({ status: 'Running', job_progress: '0.67', completed_steps: '2' });
    clock.advance(1000);
    const done = await status();
    expect(done).to.include({ status: 'Completed', job_progress: '1', completed_steps: '3', total_steps: '3' });
    expect(done.message).to.equal('Job completed successfully. 25 lines received: 25 accepted (25 added, 0 updated, 0 unchanged), 0 rejected.');

    const dsInfo = await call(`${emu.url}/dataset/${ds}`);
    expect(dsInfo.json).to.include({ dataset_id: ds, name: 'flow', length: 25 });

    const ann = await upload(emu, ds, 'annotate', [boxLine('img_1', 'a1'), boxLine('bad_ref_id', 'attempted_annot_upload'), boxLine('img_2', 'a2')].join('\n'));
    expect(ann.json.job_type).to.equal('uploadAnnotations');
    const annJob = ann.json.job_id as string;
    runToEnd(f, annJob);
    const annStatus = (await call(`${emu.url}/job/${annJob}`)).json;
    expect(annStatus.status).to.equal('Errored_Partial');
    expect(annStatus.message).to.contain('3 lines received: 2 accepted').and.contain('1 rejected');
    const errors = await call(`${emu.url}/job/${annJob}/errors`);
    expect(errors.json).to.deep.equal([GUIDE_ERROR]);

    const info = await call(`${emu.url}/job/${annJob}/info`);
    expect(info.json).to.deep.equal({ job_id: annJob, job_last_known_status: 'Errored_Partial', job_type: 'uploadAnnotations', job_creation_time: '2026-11-28T10:00:03Z' });

    const list = await call(`${emu.url}/jobs/`, { body: { show_completed: true } });
    expect(list.json.map((j: { job_id: string }) => j.job_id)).to.deep.equal([annJob, job]);
  });

  describe('POST jobs/ filters', () => {
    let ds1: string;
    let ds2: string;
    let items: string;
    let annotations: string;
    let running: string;
    beforeEach(async () => {
      const { emu, clock } = f;
      ds1 = await createDataset(emu, 'one');
      ds2 = await createDataset(emu, 'two');
      items = (await upload(emu, ds1, 'append', itemLine('a'))).json.job_id;
      runToEnd(f, items);
      clock.advance(60_000); // 10:01:01
      annotations = (await upload(emu, ds1, 'annotate', boxLine('a', 'x'))).json.job_id;
      runToEnd(f, annotations);
      clock.advance(60_000); // 10:02:02
      running = (await upload(emu, ds2, 'append', itemLine('b'))).json.job_id;
    });
    const ids = async (body: Record<string, unknown>) =>
      ((await call(`${f.emu.url}/jobs/`, { body })).json as { job_id: string }[]).map((j) => j.job_id);

    it('show_completed: false (the default) lists only jobs that have not ended', async () => {
      expect(await ids({})).to.deep.equal([running]);
      expect(await ids({ show_completed: false })).to.deep.equal([running]);
      expect(await ids({ show_completed: true })).to.deep.equal([running, annotations, items]);
    });
    it('dataset_id', async () => {
      expect(await ids({ show_completed: true, dataset_id: ds1 })).to.deep.equal([annotations, items]);
      expect(await ids({ show_completed: true, dataset_id: null })).to.have.length(3);
    });
    it('job_types', async () => {
      expect(await ids({ show_completed: true, job_types: ['uploadAnnotations'] })).to.deep.equal([annotations]);
      expect(await ids({ show_completed: true, job_types: ['uploadDatasetItems', 'uploadAnnotations'] })).to.have.length(3);
      expect(await ids({ show_completed: true, job_types: ['exportEmbeddings'] })).to.deep.equal([]);
    });
    it('from_date and to_date, inclusive, ISO or Python str(datetime)', async () => {
      expect(await ids({ show_completed: true, from_date: '2026-11-28T10:01:01Z' })).to.deep.equal([running, annotations]);
      expect(await ids({ show_completed: true, to_date: '2026-11-28 10:01:01' })).to.deep.equal([annotations, items]);
      expect(await ids({ show_completed: true, from_date: '2026-11-28T10:00:30Z', to_date: '2026-11-28T10:01:30Z' })).to.deep.equal([annotations]);
    });
    it('limit keeps the newest, up to 50,000', async () => {
      expect(await ids({ show_completed: true, limit: 2 })).to.deep.equal([running, annotations]);
      expect(await ids({ show_completed: true, limit: 50_000 })).to.have.length(3);
      const over = await call(`${f.emu.url}/jobs/`, { body: { limit: 50_001 } });
      expect(over.status).to.equal(400);
      expect(over.json).to.deep.equal({ error: 'limit must be an integer from 1 to 50000.' });
    });
  });

  it("accepts requests shaped like the Python client's: GET with a JSON body {}, nulls for unset list filters", async () => {
    const { emu } = f;
    const ds = await createDataset(emu);
    const job = (await upload(emu, ds, 'append', itemLine('a'))).json.job_id as string;
    const headers = { authorization: basic(DEMO_API_KEY), 'content-type': 'application/json' };
    const status = await rawRequest(`${emu.url}/job/${job}`, { method: 'GET', headers, body: Buffer.from('{}') });
    expect(status.status).to.equal(200);
    expect(JSON.parse(status.text).job_id).to.equal(job);
    const signed = await rawRequest(`${emu.url}/dataset/${ds}/signedUrl/0123456789abcdef0123456789abcdef`, { method: 'GET', headers, body: Buffer.from('{}') });
    expect(JSON.parse(signed.text).signed_url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/signed-upload\//);
    const body = { show_completed: false, from_date: null, to_date: null, job_types: null, limit: null, dataset_id: null, date_limit: null };
    const list = await call(`${emu.url}/jobs/`, { body });
    expect(list.json.map((j: { job_id: string }) => j.job_id)).to.deep.equal([job]);
  });

  it('serves many concurrent uploads and polls without losing a job or a line', async () => {
    const { emu } = f;
    const ds = await createDataset(emu);
    const started = await Promise.all(Array.from({ length: 25 }, (_, i) => upload(emu, ds, 'append', [itemLine(`c${i}`), 'junk'].join('\n'))));
    const ids = started.map((s) => s.json.job_id as string);
    expect(new Set(ids).size).to.equal(25);
    const polls = await Promise.all(ids.flatMap((id) => [call(`${emu.url}/job/${id}`), call(`${emu.url}/job/${id}/info`)]));
    expect(polls.every((p) => p.status === 200)).to.equal(true);
    f.clock.advance(10_000);
    const c = emu.control.counters();
    expect(c.jobs).to.deep.equal({ Errored_Partial: 25 });
    expect(c.lines).to.deep.equal({ received: 50, accepted: 25, rejected: 25 });
  });

  it('speaks the guide\'s quirks on request: "total_steps:" and numbers as numbers', async () => {
    await f.emu.close();
    f = await startManual({ quirks: { totalStepsColon: true, numbersAsNumbers: true } });
    const ds = await createDataset(f.emu);
    const job = (await upload(f.emu, ds, 'append', Array.from({ length: 30 }, (_, i) => itemLine(`q${i}`)).join('\n'))).json.job_id as string;
    f.clock.advance(1100);
    expect((await call(`${f.emu.url}/job/${job}`)).json).to.deep.equal({
      job_id: job, status: 'Running', message: 'Processing: 10 of 30 lines done (10 accepted, 0 rejected).', job_progress: 0.33, completed_steps: 1, 'total_steps:': 3,
    });
  });

  it('answers the same job for the same requestId, and the same signed URL for it', async () => {
    const { emu } = f;
    const ds = await createDataset(emu);
    const first = await upload(emu, ds, 'append', itemLine('a'));
    const url1 = (await call(`${emu.url}/dataset/${ds}/signedUrl/${first.requestId}`)).json.signed_url;
    const url2 = (await call(`${emu.url}/dataset/${ds}/signedUrl/${first.requestId}`)).json.signed_url;
    expect(url1).to.equal(url2);
    const again = await call(`${emu.url}/dataset/${ds}/append?async=1`, { body: { requestId: first.requestId, update: false } });
    expect(again.status).to.equal(200);
    expect(again.json).to.deep.equal(first.json);
    const annotateSame = await call(`${emu.url}/dataset/${ds}/annotate?async=1`, { body: { requestId: first.requestId } });
    expect(annotateSame.json.job_id).to.equal(first.json.job_id);
    expect(emu.control.jobStates()).to.have.length(1);
  });

  it('refuses to start a job for a requestId nothing was uploaded to', async () => {
    const ds = await createDataset(f.emu);
    const r = await call(`${f.emu.url}/dataset/${ds}/append?async=1`, { body: { requestId: 'never_uploaded' } });
    expect(r.status).to.equal(400);
    expect(r.json.error).to.match(/^Nothing was uploaded for requestId never_uploaded/);
  });

  it('follows update for duplicate reference ids and annotation ids', async () => {
    const { emu } = f;
    const ds = await createDataset(emu);
    runToEnd(f, (await upload(emu, ds, 'append', [itemLine('a'), itemLine('b')].join('\n'))).json.job_id);
    const keep = (await upload(emu, ds, 'append', [itemLine('a'), itemLine('a'), itemLine('c')].join('\n'), { update: false })).json.job_id;
    runToEnd(f, keep);
    expect(emu.control.jobState(keep)).to.include({ status: 'Completed', linesAccepted: 3, added: 1, updated: 0, unchanged: 2 });
    const replace = (await upload(emu, ds, 'append', itemLine('a'), { update: true })).json.job_id;
    runToEnd(f, replace);
    expect(emu.control.jobState(replace)).to.include({ added: 0, updated: 1 });
    const a1 = (await upload(emu, ds, 'annotate', [boxLine('a', 'x'), boxLine('a', 'x')].join('\n'))).json.job_id;
    runToEnd(f, a1);
    expect(emu.control.jobState(a1)).to.include({ status: 'Completed', added: 1, unchanged: 1 });
    expect((await call(`${emu.url}/dataset/${ds}`)).json).to.include({ length: 3, annotation_count: 1 });
  });

  it('ends Errored_User when every line is rejected, Completed for an empty upload', async () => {
    const { emu } = f;
    const ds = await createDataset(emu);
    const bad = (await upload(emu, ds, 'append', '{"reference_id":"x","image_url":"/home/me/x.jpg"}\nnot json\n')).json.job_id;
    runToEnd(f, bad);
    const s = (await call(`${emu.url}/job/${bad}`)).json;
    expect(s.status).to.equal('Errored_User');
    expect(s.message).to.contain('2 lines received: 0 accepted').and.contain('2 rejected');
    const errors = (await call(`${emu.url}/job/${bad}/errors`)).json as string[];
    expect(errors.map((e) => JSON.parse(e))).to.deep.equal([
      { item: { imageUrl: '/home/me/x.jpg', referenceId: 'x' }, error: 'image_url must be a remote URL (s3://, gs://, https://, ...): asynchronous uploads cannot read local files.' },
      { line: 2, error: 'Line 2 is not valid JSON.' },
    ]);
    const empty = (await upload(emu, ds, 'append', '\n\n')).json.job_id;
    runToEnd(f, empty);
    expect((await call(`${emu.url}/job/${empty}`)).json).to.include({ status: 'Completed', total_steps: '1', completed_steps: '1' });
  });

  it('never loses a line: 10,000 mixed good and bad lines, accepted + rejected == received', async function () {
    await f.emu.close();
    f = await startManual({ linesPerStep: 1000 });
    const { emu } = f;
    const ds = await createDataset(emu);
    const parts: Buffer[] = [];
    let good = 0;
    for (let i = 0; i < 10_000; i++) {
      let line: string | Buffer;
      switch (i % 8) {
        case 0: line = '{"reference_id": "broken"'; break;
        case 1: line = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]); break; // {"\xff\xfe"}: invalid UTF-8
        case 2: line = '[1, 2, 3]'; break;
        case 3: line = JSON.stringify({ image_url: 'C:\\img.jpg', reference_id: `r${i}` }); break;
        case 4: line = JSON.stringify({ image_url: 's3://b/x.jpg' }); break;
        case 5: line = `{"__proto__": {"polluted": true}, "image_url": "s3://b/${i}.jpg", "reference_id": "p${i}", "metadata": {"constructor": {"prototype": {"polluted": true}}}}`; good++; break;
        default: line = itemLine(`ok${i}`); good++;
      }
      parts.push(Buffer.isBuffer(line) ? line : Buffer.from(line), Buffer.from(i % 3 === 0 ? '\r\n' : '\n'));
    }
    const job = (await upload(emu, ds, 'append', Buffer.concat(parts))).json.job_id as string;
    runToEnd(f, job);
    const state = emu.control.jobState(job)!;
    expect(state).to.include({ status: 'Errored_Partial', linesReceived: 10_000, linesAccepted: good, linesRejected: 10_000 - good, linesPending: 0 });
    const s = (await call(`${emu.url}/job/${job}`)).json;
    expect(s.message).to.contain(`10000 lines received: ${good} accepted`).and.contain(`${10_000 - good} rejected`);
    const errors = (await call(`${emu.url}/job/${job}/errors`)).json as string[];
    expect(errors).to.have.length(10_000 - good);
    expect(errors[1]).to.equal('{"line":2,"error":"Line 2 is not valid UTF-8."}');
    expect(errors[2]).to.equal('{"line":3,"error":"Line 3 is not a JSON object."}');
    expect((await call(`${emu.url}/dataset/${ds}`)).json.length).to.equal(good);
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
  });

  it('answers the 10,000 most recent errors', async () => {
    await f.emu.close();
    f = await startManual({ linesPerStep: 5000 });
    const ds = await createDataset(f.emu);
    const job = (await upload(f.emu, ds, 'append', Array.from({ length: 12_000 }, () => 'x').join('\n'))).json.job_id;
    runToEnd(f, job);
    const errors = (await call(`${f.emu.url}/job/${job}/errors`)).json as string[];
    expect(errors).to.have.length(10_000);
    expect(errors[0]).to.equal('{"line":2001,"error":"Line 2001 is not valid JSON."}');
    expect(errors[9_999]).to.equal('{"line":12000,"error":"Line 12000 is not valid JSON."}');
    expect(f.emu.control.jobState(job)).to.include({ errorCount: 12_000, linesRejected: 12_000 });
  });
});

describe('emulator: close()', () => {
  it('leaves no open handles: a process with a running job, a delayed answer and a keep-alive socket exits by itself', () => {
    const script = `
      const { startEmulator, DEMO_API_KEY } = require(${JSON.stringify(require.resolve('../../lib/emulator/index.js'))});
      (async () => {
        const emu = await startEmulator({ queueMs: 60000, faults: { schedule: [{ route: 'job.status', calls: [1], fault: 'delay', delayMs: 600000 }] } });
        const h = { authorization: 'Basic ' + Buffer.from(DEMO_API_KEY + ':').toString('base64'), 'content-type': 'application/json' };
        const ds = (await (await fetch(emu.url + '/dataset/create', { method: 'POST', headers: h, body: '{"name":"x"}' })).json()).dataset_id;
        const su = (await (await fetch(emu.url + '/dataset/' + ds + '/signedUrl/r1', { headers: h })).json()).signed_url;
        await (await fetch(su, { method: 'PUT', body: '{"reference_id":"a","image_url":"s3://b/a"}' })).text();
        const job = (await (await fetch(emu.url + '/dataset/' + ds + '/append?async=1', { method: 'POST', headers: h, body: '{"requestId":"r1"}' })).json()).job_id;
        const pending = fetch(emu.url + '/job/' + job, { headers: h }).then(() => 'answered', () => 'cut');
        await new Promise((r) => setTimeout(r, 50));
        await emu.close();
        await emu.close();
        console.log('closed', await pending);
      })();`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(r.error).to.equal(undefined);
    expect(r.stderr).to.equal('');
    expect(r.stdout.trim()).to.equal('closed cut');
    expect(r.status).to.equal(0);
  });

  it('uses the demo key by default', async () => {
    const emu = await startEmulator();
    try {
      expect((await call(`${emu.url}/dataset/create`, { key: DEMO_API_KEY, body: { name: 'x' } })).status).to.equal(200);
    } finally {
      await emu.close();
    }
  });
});
