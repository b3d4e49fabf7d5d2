import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { basic, call, createDataset, rawRequest, startManual, type Fixture } from './helpers.js';
import { DEMO_API_KEY } from '../../lib/emulator/index.js';

const ONE_LINE_JSON_ERROR = /^\{"error":"[^\n]+"\}$/;

describe('emulator: bad input', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await startManual({ maxBodyBytes: 1024, maxUploadBytes: 4096 });
  });
  afterEach(() => f.emu.close());

  const auth = { authorization: basic(DEMO_API_KEY), 'content-type': 'application/json' };

  it('400 for a malformed JSON body, a non-object body and a body that is not UTF-8', async () => {
    for (const body of [Buffer.from('{"name": '), Buffer.from('[1,2]'), Buffer.from([0x7b, 0x22, 0x6e, 0xff, 0x22, 0x3a, 0x31, 0x7d])]) {
      const r = await rawRequest(`${f.emu.url}/dataset/create`, { method: 'POST', headers: auth, body });
      expect(r.status).to.equal(400);
      expect(r.text).to.match(ONE_LINE_JSON_ERROR);
    }
  });

  it('400 for missing or ill-typed fields', async () => {
    const ds = await createDataset(f.emu);
    const cases: [string, unknown][] = [
      ['dataset/create', {}],
      ['dataset/create', { name: 'x', is_scene: 'yes' }],
      [`dataset/${ds}/append?async=1`, {}],
      [`dataset/${ds}/append?async=1`, { requestId: 'r', update: 'true' }],
      [`dataset/${ds}/append`, { requestId: 'r' }],
      ['jobs/', { limit: 0 }],
      ['jobs/', { limit: 1.5 }],
      ['jobs/', { from_date: 'yesterday' }],
      ['jobs/', { job_types: 'uploadAnnotations' }],
      ['jobs/', { show_completed: 'true' }],
      ['jobs/', { dataset_id: 12 }],
    ];
    for (const [path, body] of cases) {
      const r = await call(`${f.emu.url}/${path}`, { body });
      expect(r.status, `${path} ${JSON.stringify(body)}`).to.equal(400);
      expect(r.text).to.match(ONE_LINE_JSON_ERROR);
    }
    const badRid = await call(`${f.emu.url}/dataset/${ds}/signedUrl/${encodeURIComponent('a b/c')}`);
    expect(badRid.status).to.equal(400);
  });

  it('404 for unknown routes, datasets and jobs; 400 for a malformed path', async () => {
    for (const path of ['/v1/nucleus/nope', '/v1/nucleus/', '/', '/v1/nucleus/job/x/y/z', '/v2/nucleus/jobs/', '/signed-upload/unknown-token']) {
      const r = await call(`${f.emu.origin}${path}`, { method: path.startsWith('/signed') ? 'PUT' : 'GET' });
      expect(r.status, path).to.equal(404);
      expect(r.text).to.match(ONE_LINE_JSON_ERROR);
    }
    expect((await call(`${f.emu.url}/dataset/ds_nope`)).status).to.equal(404);
    expect((await call(`${f.emu.url}/job/job_nope`)).json).to.deep.equal({ error: 'Job job_nope not found.' });
    expect((await call(`${f.emu.url}/job/%E0%A4%A`)).status).to.equal(400);
  });

  it('405 with Allow for a wrong method', async () => {
    const cases: [string, string, string][] = [
      ['GET', 'dataset/create', 'POST'],
      ['POST', 'job/j', 'GET'],
      ['DELETE', 'jobs/', 'POST'],
      ['GET', 'jobs', 'POST'],
      ['PUT', 'dataset/ds/append', 'POST'],
    ];
    for (const [method, path, allow] of cases) {
      const r = await call(`${f.emu.url}/${path}`, { method });
      expect(r.status, `${method} ${path}`).to.equal(405);
      expect(r.headers.get('allow')).to.equal(allow);
      expect(r.text).to.match(ONE_LINE_JSON_ERROR);
    }
    expect((await call(`${f.emu.origin}/signed-upload/x`, { method: 'GET' })).status).to.equal(405);
  });

  it('413 for a JSON body or an upload over the limit, and keeps serving', async () => {
    const big = await rawRequest(`${f.emu.url}/dataset/create`, { method: 'POST', headers: auth, body: Buffer.from(JSON.stringify({ name: 'x'.repeat(2000) })) });
    expect(big.status).to.equal(413);
    expect(big.text).to.match(ONE_LINE_JSON_ERROR);
    const ds = await createDataset(f.emu);
    const url = (await call(`${f.emu.url}/dataset/${ds}/signedUrl/r1`)).json.signed_url as string;
    const chunked = await rawRequest(url, { method: 'PUT', headers: { 'transfer-encoding': 'chunked' }, body: Buffer.alloc(5000, 0x61) });
    expect(chunked.status).to.equal(413);
    const ok = await rawRequest(url, { method: 'PUT', body: Buffer.from('{"reference_id":"a","image_url":"s3://b/a"}') });
    expect(ok.status).to.equal(200);
    expect(ok.headers['etag']).to.equal(`"${createHash('md5').update('{"reference_id":"a","image_url":"s3://b/a"}').digest('hex')}"`);
    const started = await call(`${f.emu.url}/dataset/${ds}/append?async=1`, { body: { requestId: 'r1' } });
    expect(started.status).to.equal(200);
  });

  it('507 when the uploads held at once exceed maxStoredBytes, until jobs have processed them', async () => {
    await f.emu.close();
    f = await startManual({ maxStoredBytes: 100 });
    const ds = await createDataset(f.emu);
    const line = Buffer.from(JSON.stringify({ reference_id: 'a', image_url: 's3://b/a.jpg', metadata: { pad: 'x'.repeat(10) } }));
    expect(line.length).to.be.within(51, 99);
    const url = async (rid: string) => (await call(`${f.emu.url}/dataset/${ds}/signedUrl/${rid}`)).json.signed_url as string;
    expect((await rawRequest(await url('r1'), { method: 'PUT', body: line })).status).to.equal(200);
    expect((await rawRequest(await url('r1'), { method: 'PUT', body: line })).status, 'replacing its own body').to.equal(200);
    const full = await rawRequest(await url('r2'), { method: 'PUT', body: line });
    expect(full.status).to.equal(507);
    expect(full.text).to.match(ONE_LINE_JSON_ERROR);
    const job = (await call(`${f.emu.url}/dataset/${ds}/append?async=1`, { body: { requestId: 'r1' } })).json.job_id as string;
    expect((await rawRequest(await url('r2'), { method: 'PUT', body: line })).status, 'held by a running job').to.equal(507);
    f.clock.advance(10_000);
    expect(f.emu.control.jobState(job)!.status).to.equal('Completed');
    expect((await rawRequest(await url('r2'), { method: 'PUT', body: line })).status, 'released when the job ended').to.equal(200);
  });

  it('403 for a request addressed to another host name (DNS rebinding), loopback names all work', async () => {
    const forged = await rawRequest(`${f.emu.url}/jobs/`, { method: 'POST', headers: { ...auth, host: `evil.example:${f.emu.port}` }, body: Buffer.from('{}') });
    expect(forged.status).to.equal(403);
    expect(forged.text).to.match(ONE_LINE_JSON_ERROR);
    for (const host of [`localhost:${f.emu.port}`, `127.0.0.1:${f.emu.port}`, `[::1]:${f.emu.port}`, 'app.localhost']) {
      const r = await rawRequest(`${f.emu.url}/jobs/`, { method: 'POST', headers: { ...auth, host }, body: Buffer.from('{}') });
      expect(r.status, host).to.equal(200);
    }
  });

  it('ignores prototype-pollution keys in bodies', async () => {
    const ds = await createDataset(f.emu);
    const r = await rawRequest(`${f.emu.url}/dataset/${ds}/append?async=1`, {
      method: 'POST', headers: auth, body: Buffer.from('{"__proto__": {"requestId": "r1", "polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}'),
    });
    expect(r.status).to.equal(400);
    expect(JSON.parse(r.text).error).to.match(/^requestId is required/);
    const named = await rawRequest(`${f.emu.url}/dataset/create`, { method: 'POST', headers: auth, body: Buffer.from('{"name": "__proto__"}') });
    expect(named.status).to.equal(200);
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
  });

  it('survives a malformed HTTP request and a client that hangs up mid-body', async () => {
    const garbage = await new Promise<string>((resolve) => {
      const s = connect(f.emu.port, '127.0.0.1', () => s.write('GARBAGE / HTTP/9.9\r\n\r\n'));
      let out = '';
      s.on('data', (d) => (out += d.toString()));
      s.on('close', () => resolve(out));
      s.on('error', () => resolve(out));
    });
    expect(garbage).to.match(/^HTTP\/1\.1 400/);
    await new Promise<void>((resolve) => {
      const s = connect(f.emu.port, '127.0.0.1', () => {
        s.write(`POST /v1/nucleus/dataset/create HTTP/1.1\r\nHost: x\r\nAuthorization: ${basic(DEMO_API_KEY)}\r\nContent-Length: 500\r\n\r\n{"name":`);
        setTimeout(() => s.destroy(), 20);
      });
      s.on('close', () => resolve());
    });
    const huge = await new Promise<string>((resolve) => {
      const s = connect(f.emu.port, '127.0.0.1', () => s.write(`GET /v1/nucleus/job/${'x'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`));
      let out = '';
      s.on('data', (d) => (out += d.toString()));
      s.on('close', () => resolve(out));
      s.on('error', () => resolve(out));
    });
    expect(huge).to.match(/^HTTP\/1\.1 431/);
    expect((await call(`${f.emu.url}/jobs/`, { body: {} })).status).to.equal(200);
  });
});
