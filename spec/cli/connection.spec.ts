import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { ConfigurationError } from '../../lib/errors.js';
import { DEFAULT_ENDPOINT, displayEndpoint, resolveConnection } from '../../lib/cli/connection.js';
import { VERSION } from '../../lib/cli/version.js';

describe('cli/connection', () => {
  it('takes --endpoint over NUCLEUS_ENDPOINT over the default, and the key from NUCLEUS_API_KEY', () => {
    expect(resolveConnection({ endpoint: 'http://127.0.0.1:1/' }, { NUCLEUS_ENDPOINT: 'http://x', NUCLEUS_API_KEY: 'k' })).to.deep.equal({ endpoint: 'http://127.0.0.1:1', apiKey: 'k' });
    expect(resolveConnection({}, { NUCLEUS_ENDPOINT: 'http://x:2/v1', NUCLEUS_API_KEY: 'k' }).endpoint).to.equal('http://x:2/v1');
    expect(resolveConnection({}, { NUCLEUS_API_KEY: 'k' }).endpoint).to.equal(DEFAULT_ENDPOINT);
  });

  it('refuses a missing key, a non-URL, another scheme and credentials in the URL, without echoing them', () => {
    for (const [opts, env] of [
      [{}, {}],
      [{}, { NUCLEUS_API_KEY: '  ' }],
      [{ endpoint: 'not a url secret123' }, { NUCLEUS_API_KEY: 'k' }],
      [{ endpoint: 'ftp://host' }, { NUCLEUS_API_KEY: 'k' }],
      [{ endpoint: 'https://secret123:@host' }, { NUCLEUS_API_KEY: 'k' }],
    ] as const) {
      let error: unknown;
      try {
        resolveConnection(opts, env);
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(ConfigurationError);
      expect((error as Error).message).to.not.contain('secret123');
    }
  });

  it('displayEndpoint drops credentials, query and fragment', () => {
    expect(displayEndpoint('https://u:p@host:8/v1/nucleus/?x=1#f')).to.equal('https://host:8/v1/nucleus');
  });

  it('VERSION matches package.json', () => {
    expect(VERSION).to.equal(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});
