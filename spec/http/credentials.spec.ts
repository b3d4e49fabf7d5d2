import { expect } from 'chai';
import { inspect } from 'node:util';
import { ConfigurationError } from '../../lib/errors.js';
import { Credentials, base64Utf8 } from '../../lib/http/credentials.js';

describe('Credentials', () => {
  it('encodes UTF-8 base64 without Buffer, like Buffer does', () => {
    for (const s of ['key:', 'clé✓:', '🔑:', '']) expect(base64Utf8(s)).to.equal(Buffer.from(s, 'utf8').toString('base64'));
  });
  it('sends the API key as Basic auth with an empty password', () => {
    expect(Credentials.of({ apiKey: 'k1' }).headers()).to.deep.equal({ authorization: `Basic ${Buffer.from('k1:').toString('base64')}` });
  });
  it('sends a limited access key as x-limited-access-key', () => {
    expect(Credentials.of({ limitedAccessKey: 'lk' }).headers()).to.deep.equal({ 'x-limited-access-key': 'lk' });
  });
  it('refuses both keys, and no key', () => {
    expect(() => Credentials.of({ apiKey: 'a', limitedAccessKey: 'b' })).to.throw(ConfigurationError, /not both/);
    expect(() => Credentials.of({})).to.throw(ConfigurationError, /No API key/);
    expect(() => Credentials.of({ apiKey: '' })).to.throw(ConfigurationError, /^apiKey is empty/);
    expect(() => Credentials.of({ limitedAccessKey: '' })).to.throw(ConfigurationError, /^limitedAccessKey is empty/);
    expect(() => Credentials.of({ limitedAccessKey: 'clé' })).to.throw(ConfigurationError, /printable ASCII/);
    expect(() => Credentials.of({ limitedAccessKey: 'a b' })).to.throw(ConfigurationError);
  });
  it('redacts the key, raw or base64, and never prints it', () => {
    const c = Credentials.of({ apiKey: 'sekrit' });
    const token = base64Utf8('sekrit:');
    expect(c.redact(`a sekrit b ${token}`)).to.equal('a *** b ***');
    expect(c.leaksInto('xx sekrit')).to.equal(true);
    expect(c.leaksInto('nothing')).to.equal(false);
    for (const text of [JSON.stringify(c), inspect(c, { showHidden: true }), String(c)]) {
      expect(text).not.to.contain('sekrit');
      expect(text).not.to.contain(token);
    }
  });
  it('redacts the key as a server echoes it inside JSON (escaped, non-ASCII as \\u in either case) or in a URL', () => {
    const key = 'live_ab"c\\d/é€';
    const c = Credentials.of({ apiKey: key });
    const echoed = [
      JSON.stringify({ message: `bad key ${key}` }),
      '{"message": "bad key live_ab\\"c\\\\d/\\u00e9\\u20ac"}', // Python's json.dumps
      '{"message": "bad key live_ab\\"c\\\\d/\\u00E9\\u20AC"}',
      `https://h.test/?key=${encodeURIComponent(key)}`,
    ];
    for (const text of echoed) {
      expect(c.leaksInto(text), text).to.equal(true);
      const redacted = c.redact(text);
      expect(redacted, text).to.contain('***');
      expect(redacted, text).not.to.contain('live_ab');
    }
    // A key with a lone surrogate (no URL form) still works.
    expect(() => Credentials.of({ apiKey: 'k\ud800' })).not.to.throw();
    // Redacted JSON is still JSON, with the key gone from the parsed value too.
    expect(JSON.parse(c.redact(echoed[1]!))).to.deep.equal({ message: 'bad key ***' });
  });
});
