// The emulator under abuse, over real loopback HTTP: oversized bodies, slow-loris clients, floods of
// concurrent requests, invalid UTF-8, prototype-pollution keys, and one tenant probing another's data.
// Every count and wait is bounded; nothing asserts on wall-clock durations.
import { expect } from 'chai';
import fc from 'fast-check';
import { Agent, request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { DEMO_API_KEY } from '../../lib/emulator/index.js';
import { basic, call, createDataset, itemLine, newRequestId, rawRequest, runToEnd, startManual, upload, type Fixture } from '../emulator/helpers.js';

const AUTH = basic(DEMO_API_KEY);

/** Resolves when `socket` is closed (by either side), with everything the server sent; rejects after `ms`. */
function untilClosed(socket: Socket, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    socket.on('data', (c: Buffer) => (got += c.toString('latin1')));
    socket.on('error', () => undefined);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`socket still open after ${ms} ms`));
    }, ms);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(got);
    });
  });
}

function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
}

const health = async (f: Fixture): Promise<number> => (await call(`${f.emu.origin}/__emulator/health`, { key: null })).status;

const noPollution = (): void => {
  for (const name of ['polluted', 'isAdmin', 'name', 'limit']) {
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, name), `Object.prototype.${name}`).to.equal(false);
    expect(({} as Record<string, unknown>)[name], `({}).${name}`).to.equal(undefined);
  }
};

describe('reliability: emulator under abuse', function () {
  this.timeout(30_000);
  let f: Fixture;
  afterEach(() => f?.emu.close());

  describe('oversized bodies', () => {
    beforeEach(async () => {
      f = await startManual({ maxBodyBytes: 1024, maxUploadBytes: 8192 });
    });

    it('answers 413 to a JSON body over the limit, declared or chunked, and to an absurd Content-Length, then stays up', async () => {
      const big = Buffer.from(JSON.stringify({ name: 'x'.repeat(4096) }));
      const headers = { authorization: AUTH, 'content-type': 'application/json' };
      const declared = await rawRequest(`${f.emu.url}/dataset/create`, { method: 'POST', headers: { ...headers, 'content-length': String(big.length) }, body: big });
      expect(declared.status).to.equal(413);
      expect(JSON.parse(declared.text).error).to.match(/larger than 1024 bytes/);
      const chunked = await rawRequest(`${f.emu.url}/dataset/create`, { method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' }, body: big });
      expect(chunked.status).to.equal(413);
      // Claims a terabyte, sends a few bytes: answered at once, nothing buffered.
      const liar = await openSocket(f.emu.port);
      liar.write(`POST /v1/nucleus/dataset/create HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH}\r\nContent-Type: application/json\r\nContent-Length: 1000000000000\r\n\r\n{"name":`);
      const answer = await untilClosed(liar, 10_000).catch(() => '');
      expect(answer).to.match(/^HTTP\/1\.1 413 /);
      expect(await health(f)).to.equal(200);
      expect((await call(`${f.emu.url}/dataset/create`, { body: { name: 'fine' } })).status).to.equal(200);
      expect(f.emu.control.counters().responses['413']).to.equal(3);
    });

    it('cuts off a client that keeps streaming far past the limit', async () => {
      const s = await openSocket(f.emu.port);
      s.on('error', () => undefined);
      const closed = untilClosed(s, 10_000);
      s.write(`POST /v1/nucleus/dataset/create HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      // 4 MiB at most: the hard limit (4 x 1 KiB + 1 MiB) is far below.
      for (let i = 0; i < 64 && !s.destroyed; i++) {
        s.write(`${chunk.length.toString(16)}\r\n`);
        s.write(chunk);
        s.write('\r\n');
        await new Promise((r) => setImmediate(r));
      }
      const answer = await closed;
      expect(answer === '' || /^HTTP\/1\.1 413 /.test(answer), answer.slice(0, 40)).to.equal(true);
      expect(await health(f)).to.equal(200);
    });

    it('answers 413 to an NDJSON upload over the limit and keeps nothing of it', async () => {
      const ds = await createDataset(f.emu);
      const requestId = newRequestId();
      const signed = (await call(`${f.emu.url}/dataset/${ds}/signedUrl/${requestId}`)).json.signed_url as string;
      const body = Buffer.from(Array.from({ length: 200 }, (_, i) => itemLine(`r${i}`)).join('\n'));
      expect(body.length).to.be.greaterThan(8192);
      const put = await rawRequest(signed, { method: 'PUT', headers: { 'content-length': String(body.length) }, body });
      expect(put.status).to.equal(413);
      const started = await call(`${f.emu.url}/dataset/${ds}/append?async=1`, { body: { requestId } });
      expect(started.status).to.equal(400);
      expect(started.json.error).to.match(/Nothing was uploaded/);
      expect(f.emu.control.jobStates()).to.have.length(0);
    });
  });

  describe('slow-loris clients', () => {
    beforeEach(async () => {
      f = await startManual({ requestTimeoutMs: 300 });
    });

    it('times out 30 trickling requests (headers never finished, body never finished), serving others meanwhile, and stays up', async () => {
      const sockets: Socket[] = [];
      const closed: Promise<string>[] = [];
      for (let i = 0; i < 30; i++) {
        const s = await openSocket(f.emu.port);
        sockets.push(s);
        closed.push(untilClosed(s, 10_000));
        if (i % 2 === 0) {
          s.write('GET /v1/nucleus/jobs/ HTTP/1.1\r\nHost: 127.0.0.1\r\n');
        } else {
          s.write(`POST /v1/nucleus/dataset/create HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${AUTH}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na`);
        }
      }
      // Keep trickling one byte at a time: a deadline per request, not an idle timeout, must still bite.
      const trickle = setInterval(() => {
        sockets.forEach((s, i) => {
          if (!s.destroyed) s.write(i % 2 === 0 ? 'X' : ' ');
        });
      }, 50);
      try {
        expect((await call(`${f.emu.url}/dataset/create`, { body: { name: 'served meanwhile' } })).status).to.equal(200);
        const answers = await Promise.all(closed);
        for (const a of answers) expect(a === '' || /^HTTP\/1\.1 (408|400) /.test(a), a.slice(0, 40)).to.equal(true);
      } finally {
        clearInterval(trickle);
      }
      expect(await health(f)).to.equal(200);
    });
  });

  describe('floods', () => {
    beforeEach(async () => {
      f = await startManual();
    });

    it('answers 500 concurrent requests (reads and writes) correctly and stays up', async () => {
      const ds = await createDataset(f.emu);
      const started = await upload(f.emu, ds, 'append', itemLine('a'));
      const job = started.json.job_id as string;
      const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
      const one = (i: number): Promise<{ status: number; text: string }> =>
        new Promise((resolve, reject) => {
          const write = i % 2 === 1;
          const body = write ? JSON.stringify({ name: `flood ${i}` }) : undefined;
          const req = httpRequest(
            write ? `${f.emu.url}/dataset/create` : `${f.emu.url}/job/${job}`,
            { method: write ? 'POST' : 'GET', agent, headers: { authorization: AUTH, ...(write ? { 'content-type': 'application/json' } : {}) } },
            (res) => {
              let text = '';
              res.setEncoding('utf8');
              res.on('data', (c: string) => (text += c));
              res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
            },
          );
          req.setTimeout(20_000, () => req.destroy(new Error('flood request timed out')));
          req.on('error', reject);
          req.end(body);
        });
      try {
        const answers = await Promise.all(Array.from({ length: 500 }, (_, i) => one(i)));
        expect(answers.filter((a) => a.status !== 200).map((a) => a.status)).to.deep.equal([]);
        const ids = new Set(answers.filter((_, i) => i % 2 === 1).map((a) => JSON.parse(a.text).dataset_id as string));
        expect(ids.size, 'every write created its own dataset').to.equal(250);
        for (const a of answers.filter((_, i) => i % 2 === 0)) expect(JSON.parse(a.text).job_id).to.equal(job);
        const c = f.emu.control.counters();
        expect(c.requests['dataset.create']).to.equal(251);
        expect(c.requests['job.status']).to.equal(250);
      } finally {
        agent.destroy();
      }
      expect(await health(f)).to.equal(200);
    });
  });

  describe('invalid UTF-8', () => {
    beforeEach(async () => {
      f = await startManual({ linesPerStep: 100 });
    });

    const BAD_SEQUENCES: readonly (readonly number[])[] = [
      [0xff, 0xfe], // never valid
      [0xc0, 0xaf], // overlong "/"
      [0xed, 0xa0, 0x80], // an encoded UTF-16 surrogate
      [0xe2, 0x82], // truncated 3-byte sequence
      [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
    ];

    it('answers 400 to a JSON body with invalid UTF-8 (never a replacement character silently stored)', async () => {
      for (const bad of BAD_SEQUENCES) {
        const body = Buffer.concat([Buffer.from('{"name":"a'), Buffer.from(bad), Buffer.from('b"}')]);
        const r = await rawRequest(`${f.emu.url}/dataset/create`, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body });
        expect(r.status, bad.join(',')).to.equal(400);
        expect(JSON.parse(r.text).error).to.equal('The request body is not valid UTF-8.');
      }
      expect(await health(f)).to.equal(200);
    });

    it('rejects exactly the NDJSON lines with invalid UTF-8, with their line numbers, and keeps every other line', async () => {
      const ds = await createDataset(f.emu);
      const parts: Buffer[] = [];
      const badLines: number[] = [];
      for (let i = 0; i < 40; i++) {
        const bad = i % 4 === 1 ? BAD_SEQUENCES[i % BAD_SEQUENCES.length]! : undefined;
        if (bad) badLines.push(i + 1);
        const line = bad
          ? Buffer.concat([Buffer.from(`{"reference_id":"r${i}","image_url":"s3://b/`), Buffer.from(bad), Buffer.from('.jpg"}')])
          : Buffer.from(itemLine(`r${i}`, { metadata: { note: 'ünïcødé ✓ 😀' } }));
        parts.push(line, Buffer.from('\n'));
      }
      const job = (await upload(f.emu, ds, 'append', Buffer.concat(parts))).json.job_id as string;
      runToEnd(f, job);
      const state = f.emu.control.jobState(job)!;
      expect(state).to.include({ status: 'Errored_Partial', linesReceived: 40, linesAccepted: 40 - badLines.length, linesRejected: badLines.length });
      const errors = (await call(`${f.emu.url}/job/${job}/errors`)).json as string[];
      expect(errors).to.deep.equal(badLines.map((n) => JSON.stringify({ line: n, error: `Line ${n} is not valid UTF-8.` })));
      expect((await call(`${f.emu.url}/dataset/${ds}`)).json.length).to.equal(40 - badLines.length);
    });
  });

  describe('prototype-pollution keys', () => {
    beforeEach(async () => {
      f = await startManual({ linesPerStep: 100 });
    });
    afterEach(noPollution);

    it('JSON bodies: __proto__ and constructor keys neither pollute nor stand in for real fields', async () => {
      const post = (path: string, text: string) =>
        rawRequest(`${f.emu.url}/${path}`, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body: Buffer.from(text) });
      const ok = await post('dataset/create', '{"name":"p","__proto__":{"polluted":"yes","isAdmin":true},"constructor":{"prototype":{"polluted":"yes"}}}');
      expect(ok.status).to.equal(200);
      const inherited = await post('dataset/create', '{"__proto__":{"name":"inherited"}}');
      expect(inherited.status).to.equal(400);
      expect(JSON.parse(inherited.text).error).to.match(/name is required/);
      const list = await post('jobs/', '{"__proto__":{"limit":"not a number","show_completed":"x"},"constructor":{"name":1}}');
      expect(list.status).to.equal(200);
      const ds = JSON.parse(ok.text).dataset_id as string;
      const append = await post(`dataset/${ds}/append?async=1`, '{"__proto__":{"requestId":"abc"}}');
      expect(append.status).to.equal(400);
      expect(JSON.parse(append.text).error).to.match(/requestId is required/);
      const faults = await rawRequest(`${f.emu.origin}/__emulator/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: Buffer.from('{"__proto__":{"polluted":"yes"},"seed":3}') });
      expect([200, 400]).to.include(faults.status);
      f.emu.control.setFaults(undefined);
      expect(await health(f)).to.equal(200);
    });

    it('NDJSON lines: such keys are data; lines are accepted or rejected by the ordinary rules, never through an inherited field', async () => {
      const ds = await createDataset(f.emu);
      const items = [
        '{"__proto__":{"polluted":"yes"},"reference_id":"p1","image_url":"s3://b/p1.jpg"}',
        '{"reference_id":"__proto__","image_url":"s3://b/proto.jpg"}',
        '{"reference_id":"constructor","image_url":"s3://b/c.jpg","metadata":{"__proto__":{"x":1},"constructor":{"prototype":{"polluted":"yes"}}}}',
        '{"__proto__":{"reference_id":"inherited","image_url":"s3://b/i.jpg"}}', // rejected: no own reference_id
        '{"constructor":{"prototype":{"polluted":"yes"}},"reference_id":"toString","image_url":"s3://b/t.jpg"}',
        '{"reference_id":"hasOwnProperty","image_url":"s3://b/h.jpg","__proto__":null}',
        '{"reference_id":"valueOf","image_url":"s3://b/v.jpg","metadata":{"__proto__":[]}}',
      ];
      const job = (await upload(f.emu, ds, 'append', items.join('\n'))).json.job_id as string;
      runToEnd(f, job);
      expect(f.emu.control.jobState(job)).to.include({ status: 'Errored_Partial', linesAccepted: 6, linesRejected: 1, added: 6 });
      const errors = (await call(`${f.emu.url}/job/${job}/errors`)).json as string[];
      expect(errors).to.have.length(1);
      const record = JSON.parse(errors[0]!) as { item: Record<string, unknown>; error: string };
      // The offending object is shown as data (its keys camelCased like every record's: `_Proto__`).
      expect(Object.keys(record.item)).to.have.length(1);
      expect(Object.values(record.item)[0]).to.deep.equal({ reference_id: 'inherited', image_url: 's3://b/i.jpg' });
      expect(record.error).to.match(/reference_id is required/);
      expect((await call(`${f.emu.url}/dataset/${ds}`)).json.length).to.equal(6);

      const annotations = [
        '{"type":"box","label":"car","reference_id":"__proto__","annotation_id":"__proto__","geometry":{"x":1,"y":2,"width":3,"height":4,"__proto__":{"x":"bad"}}}',
        '{"type":"category","label":"c","reference_id":"constructor","annotation_id":"constructor","geometry":{}}',
        '{"type":"box","label":"car","reference_id":"toString","annotation_id":"a1","geometry":{"__proto__":{"x":1,"y":2,"width":3,"height":4}}}', // rejected: inherited geometry
      ];
      const ann = (await upload(f.emu, ds, 'annotate', annotations.join('\n'))).json.job_id as string;
      runToEnd(f, ann);
      expect(f.emu.control.jobState(ann)).to.include({ status: 'Errored_Partial', linesAccepted: 2, linesRejected: 1 });
      expect((await call(`${f.emu.url}/dataset/${ds}`)).json.annotation_count).to.equal(2);
    });
  });

  describe('every accepted line is kept (property, over HTTP)', () => {
    it('for random uploads mixing good, bad and hostile lines: accepted + rejected == received, stored == added, errors == rejected', async () => {
      f = await startManual({ linesPerStep: 25 });
      const lineArb = (i: number) =>
        fc.oneof(
          fc.constant(itemLine(`r${i}`)),
          fc.constant(`{"__proto__":{"x":1},"reference_id":"r${i}","image_url":"s3://b/${i}"}`),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 30 }),
          fc.record({ reference_id: fc.oneof(fc.constant(`r${i}`), fc.string()), image_url: fc.oneof(fc.constant('s3://b/x'), fc.string()), metadata: fc.oneof(fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue())) }).map((o) => JSON.stringify(o)),
        );
      const uploadArb = fc.integer({ min: 0, max: 60 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => lineArb(i))));
      await fc.assert(
        fc.asyncProperty(uploadArb, async (lines) => {
          const ds = await createDataset(f.emu);
          const body = lines.map((l) => l.replace(/[\r\n]/g, ' ')).join('\n');
          const job = (await upload(f.emu, ds, 'append', body)).json.job_id as string;
          runToEnd(f, job);
          const s = f.emu.control.jobState(job)!;
          expect(['Completed', 'Errored_Partial', 'Errored_User']).to.include(s.status);
          expect(s.linesPending).to.equal(0);
          expect(s.linesAccepted + s.linesRejected).to.equal(s.linesReceived);
          expect(s.added + s.updated + s.unchanged).to.equal(s.linesAccepted);
          const errors = (await call(`${f.emu.url}/job/${job}/errors`)).json as string[];
          expect(errors.length).to.equal(s.linesRejected);
          expect((await call(`${f.emu.url}/dataset/${ds}`)).json.length).to.equal(s.added);
        }),
        { numRuns: 25 },
      );
      noPollution();
    });
  });

  describe('tenants', () => {
    const A = 'tenant-a-key-0001';
    const B = 'tenant-b-key-0002';
    const L = 'limited-key-0003';

    it('another key never sees, lists, extends or learns about a job or dataset it does not own', async () => {
      f = await startManual({ apiKeys: [A, B], limitedAccessKeys: [L] });
      const ds = await createDataset(f.emu, 'secret-dataset-name', A);
      const up = await upload(f.emu, ds, 'append', [itemLine('a1'), 'not json'].join('\n'), { key: A });
      const job = up.json.job_id as string;
      runToEnd(f, job);
      const ownErrors = await call(`${f.emu.url}/job/${job}/errors`, { key: A });
      expect(ownErrors.json).to.have.length(1);

      const asOther: { key?: string | null; headers?: Record<string, string> }[] = [{ key: B }, { key: null, headers: { 'x-limited-access-key': L } }];
      for (const who of asOther) {
        const probes = [
          await call(`${f.emu.url}/job/${job}`, who),
          await call(`${f.emu.url}/job/${job}/info`, who),
          await call(`${f.emu.url}/job/${job}/errors`, who),
          await call(`${f.emu.url}/dataset/${ds}`, who),
          await call(`${f.emu.url}/dataset/${ds}/signedUrl/${newRequestId()}`, who),
          await call(`${f.emu.url}/dataset/${ds}/append?async=1`, { ...who, body: { requestId: up.requestId } }),
          await call(`${f.emu.url}/dataset/${ds}/annotate?async=1`, { ...who, body: { requestId: up.requestId } }),
        ];
        for (const p of probes) {
          expect(p.status, p.text).to.equal(404);
          expect(p.text).not.to.contain('secret-dataset-name');
          expect(p.text).not.to.contain('not json');
          expect(p.text).not.to.contain('lines received');
        }
        const list = await call(`${f.emu.url}/jobs/`, { ...who, body: { show_completed: true } });
        expect(list.status).to.equal(200);
        expect(list.json).to.deep.equal([]);
      }
      // Unknown keys: 401, and the key is never echoed.
      const stranger = 'stranger-key-zz9';
      const denied = await call(`${f.emu.url}/job/${job}`, { key: stranger });
      expect(denied.status).to.equal(401);
      expect(denied.text).not.to.contain(stranger);
      expect(denied.text).not.to.contain(Buffer.from(`${stranger}:`).toString('base64'));
      // The owner still sees everything, unchanged.
      expect(f.emu.control.jobState(job)).to.include({ linesAccepted: 1, linesRejected: 1 });
      expect((await call(`${f.emu.url}/dataset/${ds}`, { key: A })).json.length).to.equal(1);
    });
  });
});
