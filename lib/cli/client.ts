/**
 * The one place the client commands build their NucleusClient: connection from the environment,
 * the key registered with the output so it can never be printed.
 */
import { NucleusClient } from '../nucleus-client.js';
import { displayEndpoint, resolveConnection } from './connection.js';
import type { CliContext } from './context.js';

// A person is waiting at the terminal: two quick retries of a transient failure (about 2 s in all)
// rather than the library's four patient ones (about 40 s) before saying the server is unreachable.
// A job being watched still rides out outages: its polling loop retries on its own schedule.
const CLI_RETRY = { maxRetries: 2, initialDelayMs: 500 };
const CLI_TIMEOUT_MS = 30_000;

export interface CliClient {
  readonly client: NucleusClient;
  /** The endpoint without credentials or query, for messages. */
  readonly endpoint: string;
}

export function createClient(options: { readonly endpoint?: string | undefined }, ctx: CliContext): CliClient {
  const connection = resolveConnection(options, ctx.env);
  ctx.output.addSecret(connection.apiKey);
  const client = new NucleusClient({ apiKey: connection.apiKey, endpoint: connection.endpoint, retry: CLI_RETRY, timeoutMs: CLI_TIMEOUT_MS });
  return { client, endpoint: displayEndpoint(connection.endpoint) };
}
