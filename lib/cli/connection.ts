/**
 * Where the client commands connect: `--endpoint`, else `NUCLEUS_ENDPOINT`, else the real service;
 * the key from `NUCLEUS_API_KEY` only. There is deliberately no key flag on these commands: a flag
 * lands in shell history and in `ps` output for every user of the machine.
 */
import { ConfigurationError } from '../errors.js';

export const DEFAULT_ENDPOINT = 'https://api.scale.com/v1/nucleus';

export interface Connection {
  readonly endpoint: string;
  readonly apiKey: string;
}

/**
 * The connection settings, checked: a well-formed http(s) URL without credentials in it, and a key.
 *
 * @example
 * resolveConnection({ endpoint: 'http://127.0.0.1:4010' }, { NUCLEUS_API_KEY: 'k' })
 */
export function resolveConnection(
  options: { readonly endpoint?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
): Connection {
  const endpoint = (options.endpoint ?? env['NUCLEUS_ENDPOINT'] ?? '').trim() || DEFAULT_ENDPOINT;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new ConfigurationError(`The endpoint is not a URL; expected e.g. ${DEFAULT_ENDPOINT}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigurationError(`The endpoint must be an http:// or https:// URL`);
  }
  if (url.username || url.password) {
    throw new ConfigurationError(`The endpoint must not contain credentials; put the key in NUCLEUS_API_KEY`);
  }
  const apiKey = env['NUCLEUS_API_KEY']?.trim();
  if (!apiKey) {
    throw new ConfigurationError(`NUCLEUS_API_KEY is not set: export NUCLEUS_API_KEY=<your key> (the demo runs without one)`);
  }
  return { endpoint: endpoint.replace(/\/+$/, ''), apiKey };
}

/** The endpoint for messages: origin and path only. */
export function displayEndpoint(endpoint: string): string {
  try {
    const u = new URL(endpoint);
    return `${u.origin}${u.pathname}`.replace(/\/+$/, '');
  } catch {
    return '(invalid endpoint)';
  }
}
