/**
 * nucleus-rx/node: Node-only additions (never imported from the root entry). See docs/performance.md,
 * "Client cost at scale".
 *
 * @example
 * ```ts
 * import { NucleusClient } from 'nucleus-rx';
 * import { createNodeFetch } from 'nucleus-rx/node';
 * const client = new NucleusClient({ apiKey, fetch: createNodeFetch() });
 * ```
 */
export { createNodeFetch } from './node-fetch.js';
export type { NodeFetch, NodeFetchOptions } from './node-fetch.js';
