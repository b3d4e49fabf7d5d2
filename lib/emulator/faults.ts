/**
 * Fault injection: deterministic, seeded failures for the reliability tests. Off by default.
 *
 * Two sources, checked in this order for each request to an API route (never the control API, never
 * CORS preflights):
 * 1. `schedule`: rules naming a route (or `'*'`) and which of its calls fail (1-based, counted from
 *    the moment the configuration was set), e.g. "the 2nd and 3rd `job.status` calls answer 503";
 * 2. `probabilities`: a chance per fault kind, drawn from a hash of (seed, route, call number), so the
 *    n-th call to a route gets the same fault for the same seed, whatever the other routes see.
 *
 * @example
 * ```ts
 * const emu = await startEmulator({
 *   faults: { seed: 42, probabilities: { http503: 0.1, reset: 0.02 },
 *             schedule: [{ route: 'job.status', calls: [1], fault: 'http429', retryAfterSeconds: 2 }] },
 * });
 * ```
 */
import { API_ROUTES, type ApiRoute } from './routes.js';

export const FAULT_KINDS = ['http429', 'http500', 'http502', 'http503', 'http504', 'reset', 'delay', 'truncate', 'nonJson'] as const;
/**
 * - `http429`: 429 with `Retry-After` (seconds), request not processed;
 * - `http500`/`http503`: JSON error body; `http502`/`http504`: an HTML body, like a proxy; not processed;
 * - `reset`: the connection is destroyed without an answer; not processed;
 * - `delay`: the answer comes `delayMs` later (emulator clock); processed normally;
 * - `truncate`: the request IS processed, the answer's body is cut in half and the connection closed;
 * - `nonJson`: the request IS processed, the answer is `200 text/html` instead of JSON.
 */
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultRule {
  /** Route name, or `'*'` for every API route. */
  readonly route: ApiRoute | '*';
  /** Which calls fail, 1-based, counted per route; `'all'` for every call. */
  readonly calls: readonly number[] | 'all';
  readonly fault: FaultKind;
  readonly retryAfterSeconds?: number;
  /** Send `Retry-After` as an HTTP date instead of seconds. */
  readonly retryAfterHttpDate?: boolean;
  readonly delayMs?: number;
}

export interface FaultConfig {
  /** Seed of the probabilistic faults (default 1). Same seed, same faults. */
  readonly seed?: number;
  /** Chance of each fault kind per request, 0..1; their sum must not exceed 1. */
  readonly probabilities?: Partial<Record<FaultKind, number>>;
  /** Routes the probabilistic faults apply to (default: every API route). */
  readonly routes?: readonly ApiRoute[];
  readonly schedule?: readonly FaultRule[];
  /** `Retry-After` of injected 429s, seconds (default 1). */
  readonly retryAfterSeconds?: number;
  /** Send `Retry-After` as an HTTP date (`Sun, 29 Nov 2026 12:00:05 GMT`) instead of seconds (default false). */
  readonly retryAfterHttpDate?: boolean;
  /** Delay of `delay` faults, milliseconds of emulator time (default 2000). */
  readonly delayMs?: number;
}

export interface FaultDecision {
  readonly kind: FaultKind;
  readonly retryAfterSeconds: number;
  readonly retryAfterHttpDate: boolean;
  readonly delayMs: number;
}

/** Throws a `RangeError` naming the first problem of a configuration. */
export function validateFaultConfig(config: FaultConfig): void {
  const isObj = (u: unknown): boolean => typeof u === 'object' && u !== null && !Array.isArray(u);
  if (!isObj(config)) throw new RangeError('faults must be an object');
  if (config.seed !== undefined && !Number.isFinite(config.seed)) throw new RangeError('faults.seed must be a number');
  let sum = 0;
  if (config.probabilities !== undefined) {
    if (!isObj(config.probabilities)) throw new RangeError('faults.probabilities must be an object');
    for (const [k, p] of Object.entries(config.probabilities)) {
      if (!(FAULT_KINDS as readonly string[]).includes(k)) throw new RangeError(`unknown fault kind in faults.probabilities: ${k.slice(0, 40)}`);
      if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new RangeError(`faults.probabilities.${k} must be a number in 0..1`);
      sum += p;
    }
  }
  if (sum > 1 + 1e-9) throw new RangeError('faults.probabilities must add up to at most 1');
  if (config.retryAfterHttpDate !== undefined && typeof config.retryAfterHttpDate !== 'boolean') throw new RangeError('faults.retryAfterHttpDate must be a boolean');
  if (config.routes !== undefined) {
    if (!Array.isArray(config.routes)) throw new RangeError('faults.routes must be a list of route names');
    for (const r of config.routes) if (!(API_ROUTES as readonly string[]).includes(r)) throw new RangeError(`unknown route in faults.routes: ${String(r).slice(0, 40)}`);
  }
  for (const key of ['retryAfterSeconds', 'delayMs'] as const) {
    const v = config[key];
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && Number.isFinite(v))) throw new RangeError(`faults.${key} must be a number >= 0`);
  }
  if (config.schedule !== undefined) {
    if (!Array.isArray(config.schedule)) throw new RangeError('faults.schedule must be a list');
    config.schedule.forEach((rule, i) => {
      if (!isObj(rule)) throw new RangeError(`faults.schedule[${i}] must be an object`);
      if (rule.route !== '*' && !(API_ROUTES as readonly string[]).includes(rule.route)) throw new RangeError(`faults.schedule[${i}].route is unknown`);
      if (!(FAULT_KINDS as readonly string[]).includes(rule.fault)) throw new RangeError(`faults.schedule[${i}].fault is unknown`);
      if (rule.calls !== 'all' && !(Array.isArray(rule.calls) && (rule.calls as readonly unknown[]).every((n) => Number.isInteger(n) && (n as number) >= 1))) {
        throw new RangeError(`faults.schedule[${i}].calls must be 'all' or a list of integers >= 1`);
      }
      for (const key of ['retryAfterSeconds', 'delayMs'] as const) {
        const v = rule[key];
        if (v !== undefined && !(typeof v === 'number' && v >= 0 && Number.isFinite(v))) throw new RangeError(`faults.schedule[${i}].${key} must be a number >= 0`);
      }
    });
  }
}

// 32-bit string hash (FNV-1a) and a splitmix-style finaliser: a stateless, well-mixed draw per call.
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function mix(x: number): number {
  x = (x + 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** A uniform draw in [0, 1) for the `call`-th request to `route` under `seed`. */
export function drawUnit(seed: number, route: string, call: number): number {
  const h = mix(mix((seed | 0) ^ fnv1a(route)) ^ mix(call >>> 0));
  return h / 0x1_0000_0000;
}

export class FaultInjector {
  readonly #config: FaultConfig;
  readonly #calls = new Map<string, number>();

  constructor(config: FaultConfig) {
    validateFaultConfig(config);
    this.#config = structuredClone(config);
  }

  get config(): FaultConfig {
    return structuredClone(this.#config);
  }

  /** Counts one call to `route` and decides its fault, if any. */
  decide(route: ApiRoute): FaultDecision | undefined {
    const call = (this.#calls.get(route) ?? 0) + 1;
    this.#calls.set(route, call);
    const c = this.#config;
    const base = { retryAfterSeconds: c.retryAfterSeconds ?? 1, retryAfterHttpDate: c.retryAfterHttpDate ?? false, delayMs: c.delayMs ?? 2000 };
    for (const rule of c.schedule ?? []) {
      if ((rule.route === '*' || rule.route === route) && (rule.calls === 'all' || rule.calls.includes(call))) {
        return {
          kind: rule.fault,
          retryAfterSeconds: rule.retryAfterSeconds ?? base.retryAfterSeconds,
          retryAfterHttpDate: rule.retryAfterHttpDate ?? base.retryAfterHttpDate,
          delayMs: rule.delayMs ?? base.delayMs,
        };
      }
    }
    if (!c.probabilities || (c.routes && !c.routes.includes(route))) return undefined;
    const u = drawUnit(c.seed ?? 1, route, call);
    let acc = 0;
    for (const kind of FAULT_KINDS) {
      acc += c.probabilities[kind] ?? 0;
      if (u < acc) return { kind, ...base };
    }
    return undefined;
  }
}
