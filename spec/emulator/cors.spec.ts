import { expect } from 'chai';
import { startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { call } from './helpers.js';

describe('emulator: CORS', () => {
  let emu: EmulatorHandle;
  afterEach(() => emu.close());

  it('answers a preflight from a page on another localhost port, Authorization header included', async () => {
    emu = await startEmulator();
    const r = await fetch(`${emu.url}/job/job_x`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:4200', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(r.status).to.equal(204);
    expect(r.headers.get('access-control-allow-origin')).to.equal('http://localhost:4200');
    expect(r.headers.get('access-control-allow-headers')).to.match(/Authorization/).and.match(/Content-Type/).and.match(/X-Limited-Access-Key/);
    expect(r.headers.get('access-control-allow-methods')).to.contain('POST').and.contain('PUT');
    const actual = await call(`${emu.url}/jobs/`, { body: {}, headers: { origin: 'http://127.0.0.1:8080' } });
    expect(actual.headers.get('access-control-allow-origin')).to.equal('http://127.0.0.1:8080');
    expect(actual.headers.get('access-control-expose-headers')).to.contain('Retry-After');
    const error = await call(`${emu.url}/job/nope`, { headers: { origin: 'http://localhost:4200' } });
    expect(error.status).to.equal(404);
    expect(error.headers.get('access-control-allow-origin'), 'errors readable by the page too').to.equal('http://localhost:4200');
  });

  it('grants nothing to other origins by default, and follows corsOrigins', async () => {
    emu = await startEmulator();
    const r = await fetch(`${emu.url}/jobs/`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(r.headers.get('access-control-allow-origin')).to.equal(null);
    expect(r.headers.get('access-control-allow-headers')).to.equal(null);
    await emu.close();
    emu = await startEmulator({ corsOrigins: ['https://app.example'] });
    const ok = await fetch(`${emu.url}/jobs/`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } });
    expect(ok.headers.get('access-control-allow-origin')).to.equal('https://app.example');
    const local = await fetch(`${emu.url}/jobs/`, { method: 'OPTIONS', headers: { origin: 'http://localhost:4200', 'access-control-request-method': 'POST' } });
    expect(local.headers.get('access-control-allow-origin')).to.equal(null);
  });
});
