/**
 * The one place nucleus-rx reads the process environment: `NUCLEUS_API_KEY` and `NUCLEUS_ENDPOINT`,
 * as the Python client does. In a browser (no `process`) it reads nothing.
 */

/** What the environment provides; empty values count as absent. */
export interface NucleusEnvironment {
  readonly apiKey?: string | undefined;
  readonly endpoint?: string | undefined;
}

/**
 * Reads `NUCLEUS_API_KEY` and `NUCLEUS_ENDPOINT`.
 *
 * @example
 * ```ts
 * const { endpoint } = readEnvironment(); // undefined in a browser
 * ```
 */
export function readEnvironment(): NucleusEnvironment {
  // Guarded so the root entry runs unchanged in browsers and bundlers that do not shim `process`.
  const env = typeof process !== 'undefined' && process !== null && typeof process.env === 'object' ? process.env : undefined;
  if (!env) return {};
  const pick = (name: string): string | undefined => {
    const v = env[name];
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  };
  return { apiKey: pick('NUCLEUS_API_KEY'), endpoint: pick('NUCLEUS_ENDPOINT') };
}
