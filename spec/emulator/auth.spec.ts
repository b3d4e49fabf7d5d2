import { expect } from 'chai';
import { DEMO_API_KEY } from '../../lib/emulator/index.js';
import { call, createDataset, itemLine, startManual, upload, type Fixture } from './helpers.js';

describe('emulator: authentication and per-key isolation', () => {
  let f: Fixture;
  const ALICE = 'alice-key-123';
  const BOB = 'bob-key-456';
  const LIMITED = 'limited-key-789';
  beforeEach(async () => {
    f = await startManual({ apiKeys: [ALICE, BOB], limitedAccessKeys: [LIMITED] });
  });
  afterEach(() => f.emu.close());

  it('answers 401 without credentials, with a wrong key, a non-Basic scheme or the demo key when not configured', async () => {
    const url = `${f.emu.url}/dataset/create`;
    for (const headers of <Record<string, string>[]>[{}, { authorization: 'Basic ' + Buffer.from('nope:').toString('base64') }, { authorization: `Bearer ${ALICE}` }, { authorization: 'Basic ' + Buffer.from(`${DEMO_API_KEY}:`).toString('base64') }, { 'x-limited-access-key': ALICE }]) {
      const r = await call(url, { key: null, headers, body: { name: 'x' } });
      expect(r.status, JSON.stringify(Object.keys(headers))).to.equal(401);
      expect(r.text).to.match(/^\{"error":"[^"\n]+"\}$/);
    }
  });

  it('never echoes a key in an answer', async () => {
    const r = await call(`${f.emu.url}/job/j`, { key: 'super-secret-wrong-key' });
    expect(r.status).to.equal(401);
    expect(r.text).not.to.contain('super-secret');
  });

  it('accepts the key as Basic user name (password ignored) and x-limited-access-key, but not both at once', async () => {
    expect((await call(`${f.emu.url}/dataset/create`, { key: ALICE, body: { name: 'a' } })).status).to.equal(200);
    const withPassword = 'Basic ' + Buffer.from(`${ALICE}:whatever`).toString('base64');
    expect((await call(`${f.emu.url}/jobs/`, { key: null, headers: { authorization: withPassword }, body: {} })).status).to.equal(200);
    const limited = await call(`${f.emu.url}/dataset/create`, { key: null, headers: { 'x-limited-access-key': LIMITED }, body: { name: 'l' } });
    expect(limited.status).to.equal(200);
    const both = await call(`${f.emu.url}/dataset/create`, { key: ALICE, headers: { 'x-limited-access-key': LIMITED }, body: { name: 'b' } });
    expect(both.status).to.equal(400);
    expect(both.json.error).to.contain('not both');
  });

  it("answers 404 for another key's dataset and job, and lists only the caller's jobs", async () => {
    const { emu } = f;
    const ds = await createDataset(emu, 'alice', ALICE);
    const job = (await upload(emu, ds, 'append', itemLine('a'), { key: ALICE })).json.job_id as string;
    for (const path of [`dataset/${ds}`, `dataset/${ds}/signedUrl/abc`, `job/${job}`, `job/${job}/info`, `job/${job}/errors`]) {
      const r = await call(`${emu.url}/${path}`, { key: BOB });
      expect(r.status, path).to.equal(404);
      expect(r.text).not.to.contain('alice');
    }
    const append = await call(`${emu.url}/dataset/${ds}/append?async=1`, { key: BOB, body: { requestId: 'r' } });
    expect(append.status).to.equal(404);
    expect((await call(`${emu.url}/jobs/`, { key: BOB, body: { show_completed: true } })).json).to.deep.equal([]);
    expect((await call(`${emu.url}/jobs/`, { key: BOB, body: { show_completed: true, dataset_id: ds } })).json).to.deep.equal([]);
    const limited = await call(`${emu.url}/job/${job}`, { key: null, headers: { 'x-limited-access-key': LIMITED } });
    expect(limited.status).to.equal(404);
    expect((await call(`${emu.url}/job/${job}`, { key: ALICE })).status).to.equal(200);
  });
});
