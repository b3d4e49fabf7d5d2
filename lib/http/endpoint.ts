/**
 * Endpoint checks: the endpoint must be an absolute http(s) URL without credentials, and plain
 * `http://` is refused (the key would travel in clear) unless the host is loopback or the caller
 * opted in with `allowInsecureHttp`.
 */
import { ConfigurationError } from '../errors.js';

export const DEFAULT_ENDPOINT = 'https://api.scale.com/v1/nucleus';

/** Whether a URL's host is a loopback address: `localhost`, `127.0.0.0/8` or `[::1]`. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '[::1]') return true;
  // The WHATWG URL parser has already normalised IPv4 forms (e.g. `2130706433`) to dotted quads.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Parses and checks an endpoint, returning it with exactly one trailing slash so routes resolve
 * under it (`new URL('job/j1', base)`). Error messages never repeat the URL (it might hold secrets).
 *
 * @example
 * ```ts
 * parseEndpoint('http://127.0.0.1:4010/v1/nucleus', false).href; // 'http://127.0.0.1:4010/v1/nucleus/'
 * parseEndpoint('http://example.com', false); // throws ConfigurationError
 * ```
 */
export function parseEndpoint(endpoint: string, allowInsecureHttp: boolean): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ConfigurationError('The endpoint is not an absolute URL');
  }
  checkRemoteUrl(url, allowInsecureHttp, 'The endpoint');
  if (url.username !== '' || url.password !== '') {
    throw new ConfigurationError('The endpoint must not contain credentials: pass apiKey instead');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new ConfigurationError('The endpoint must not have a query string or fragment');
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** Refuses non-http(s) URLs and insecure http to a non-loopback host. */
export function checkRemoteUrl(url: URL, allowInsecureHttp: boolean, what: string): void {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError(`${what} must be an http(s) URL`);
  }
  if (url.protocol === 'http:' && !allowInsecureHttp && !isLoopbackHost(url.hostname)) {
    throw new ConfigurationError(
      `${what} uses plain http:// to a non-loopback host; use https://, or set allowInsecureHttp: true if you accept sending the key in clear`,
    );
  }
}
