import { expect } from 'chai';
import { ConfigurationError } from '../../lib/errors.js';
import { isLoopbackHost, parseEndpoint } from '../../lib/http/endpoint.js';

describe('endpoint', () => {
  it('adds the trailing slash routes resolve under', () => {
    expect(parseEndpoint('https://api.scale.com/v1/nucleus', false).href).to.equal('https://api.scale.com/v1/nucleus/');
    expect(parseEndpoint('https://api.scale.com/v1/nucleus/', false).href).to.equal('https://api.scale.com/v1/nucleus/');
  });
  it('accepts plain http to loopback hosts only', () => {
    for (const ok of ['http://127.0.0.1:4010', 'http://127.9.8.7/x', 'http://localhost:1', 'http://[::1]:80/', 'http://2130706433/']) {
      expect(() => parseEndpoint(ok, false), ok).not.to.throw();
    }
    for (const bad of ['http://example.com', 'http://10.0.0.1', 'http://128.0.0.1', 'http://localhost.example.com', 'http://[::2]']) {
      expect(() => parseEndpoint(bad, false), bad).to.throw(ConfigurationError, /plain http/);
    }
  });
  it('accepts insecure http anywhere with allowInsecureHttp', () => {
    expect(parseEndpoint('http://example.com', true).href).to.equal('http://example.com/');
  });
  it('refuses non-URLs, other schemes, credentials and query strings without repeating the URL', () => {
    for (const bad of ['not a url', 'ftp://x.test', 'https://user:pw@x.test', 'https://x.test/?k=pw']) {
      expect(() => parseEndpoint(bad, false), bad).to.throw(ConfigurationError);
      try {
        parseEndpoint(bad, false);
      } catch (e) {
        expect((e as Error).message).not.to.contain('pw');
      }
    }
  });
  it('knows loopback names', () => {
    expect(isLoopbackHost('LOCALHOST')).to.equal(true);
    expect(isLoopbackHost('api.localhost')).to.equal(true);
    expect(isLoopbackHost('127.0.0.1.example.com')).to.equal(false);
  });
});
