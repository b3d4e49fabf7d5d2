/**
 * Why coarse jobs (3 steps) cannot meet "<= 20 requests with p95 latency <= 10 s" when step lengths
 * vary: a lower bound computed for a generous oracle, printed by `npm run bench -- --bound`.
 *
 * The oracle sees the second step end for free and knows the last step's length distribution
 * exactly: L3 = c * w, c = D / 3 known, w ~ lognormal(sigma). No answer of the server tells anything
 * more until the job ends, so detecting the end within 10 s requires a poll every 10 s over the
 * interval of end times it wants to cover. For each job it picks the cheapest interval of each
 * coverage q; across jobs it spends the 5 % of misses that p95 allows where they save the most
 * (a Lagrangian sweep). Requests are counted as: the first poll, one poll seeing step 2, one poll
 * per 10 s of covered interval reached, and the detecting poll, the minimum any client pays.
 */
import { logUniform, mulberry32, seedOf } from './rng.js';

/** Inverse standard normal CDF (Acklam), |error| < 1.2e-9. */
function probit(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - pl) return -probit(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

function phi(x: number): number {
  // Abramowitz-Stegun 7.1.26 on erf; enough for an expected count.
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

const COVERAGES = [0, 0.5, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 0.999];
const GAP = 10; // seconds: the latency bound

/** Expected polls inside the covered interval [x, y] of end times (seconds after step 2). */
function tailPolls(c: number, sigma: number, x: number, y: number): number {
  if (y - x <= GAP) return 0;
  const n = 64;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const s = x + ((y - x) * i) / n;
    const surv = 1 - phi(Math.log(s / c) / sigma);
    sum += (i === 0 || i === n ? 0.5 : 1) * surv;
  }
  return (sum * (y - x)) / n / GAP;
}

/** Cheapest cost of covering mass q of the end times of one job. */
function cost(c: number, sigma: number, q: number): number {
  if (q === 0) return 0;
  let best = Infinity;
  for (let i = 0; i <= 40; i++) {
    const p = ((1 - q) * i) / 40;
    const x = c * Math.exp(sigma * probit(Math.max(p, 1e-9)));
    const y = c * Math.exp(sigma * probit(Math.min(p + q, 1 - 1e-9)));
    best = Math.min(best, tailPolls(c, sigma, x, y));
  }
  return best;
}

/** Fewest mean requests per job for which the oracle keeps p95 latency <= GAP. */
export function coarseLowerBound(sigma: number, jobs = 2000, seed = 7): number {
  const tables = [];
  for (let j = 0; j < jobs; j++) {
    const c = logUniform(mulberry32(seedOf(seed, 99, j)), 5, 3600) / 3;
    tables.push(COVERAGES.map((q) => cost(c, sigma, q)));
  }
  let best = Infinity;
  for (let e = -4; e <= 4; e += 0.05) {
    const lambda = 10 ** e;
    let miss = 0;
    let polls = 0;
    for (const t of tables) {
      let k = 0;
      for (let i = 1; i < COVERAGES.length; i++) if (t[i]! + lambda * (1 - COVERAGES[i]!) < t[k]! + lambda * (1 - COVERAGES[k]!)) k = i;
      miss += 1 - COVERAGES[k]!;
      polls += t[k]!;
    }
    if (miss / jobs <= 0.05) best = Math.min(best, 3 + polls / jobs);
  }
  return best;
}
