import { expect } from 'chai';
import { readEnvironment } from '../../lib/http/environment.js';

describe('readEnvironment', () => {
  const saved = { key: process.env['NUCLEUS_API_KEY'], endpoint: process.env['NUCLEUS_ENDPOINT'] };
  afterEach(() => {
    for (const [name, v] of [['NUCLEUS_API_KEY', saved.key], ['NUCLEUS_ENDPOINT', saved.endpoint]] as const) {
      if (v === undefined) delete process.env[name];
      else process.env[name] = v;
    }
  });
  it('reads NUCLEUS_API_KEY and NUCLEUS_ENDPOINT', () => {
    process.env['NUCLEUS_API_KEY'] = 'k';
    process.env['NUCLEUS_ENDPOINT'] = 'http://127.0.0.1:1/v1/nucleus';
    expect(readEnvironment()).to.deep.equal({ apiKey: 'k', endpoint: 'http://127.0.0.1:1/v1/nucleus' });
  });
  it('treats empty values as absent', () => {
    process.env['NUCLEUS_API_KEY'] = ' ';
    delete process.env['NUCLEUS_ENDPOINT'];
    expect(readEnvironment()).to.deep.equal({ apiKey: undefined, endpoint: undefined });
  });
});
