/**
 * The requests-vs-latency plot, one panel per workload, written as plain SVG (no dependency):
 * x = mean requests per job, y = p95 detection latency, both on log scales; lower-left is better;
 * the target, where there is one, is the dashed region.
 */
import type { WorkloadResult } from './main.js';

const PANEL_W = 330;
const PANEL_H = 250;
const M = { left: 52, right: 12, top: 28, bottom: 40 };
const COLS = 3;
const COLORS: Record<string, string> = {
  'python-client': '#8c564b',
  'core-lro': '#1f77b4',
  'aws-waiter': '#ff7f0e',
  'google-gax': '#2ca02c',
  'library-backoff': '#9467bd',
  'progress-aware': '#d62728',
};

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Ticks at 1, 2 and 5 times the powers of ten inside [lo, hi]. */
function ticks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo && v <= hi) out.push(Number(v.toPrecision(3)));
    }
  }
  return out;
}

/** A log domain around the values with some margin, so no point sits on the frame. */
function domain(values: number[], extra: number[] = []): [number, number] {
  const all = [...values, ...extra];
  return [Math.log10(Math.min(...all)) - 0.12, Math.log10(Math.max(...all)) + 0.12];
}

function panel(r: WorkloadResult, x0: number, y0: number, target?: { req: number; latP95: number }): string {
  const pts = r.rows.map((row) => ({ row, x: row.reqMean, y: Math.max(row.latP95 / 1000, 0.01) }));
  const [xl, xh] = domain(pts.map((p) => p.x), target ? [target.req] : []);
  const [yl, yh] = domain(pts.map((p) => p.y), target ? [target.latP95 / 1000] : []);
  const xs = ticks(10 ** xl, 10 ** xh);
  const ys = ticks(10 ** yl, 10 ** yh);
  const w = PANEL_W - M.left - M.right;
  const h = PANEL_H - M.top - M.bottom;
  const px = (x: number): number => x0 + M.left + ((Math.log10(x) - xl) / (xh - xl || 1)) * w;
  const py = (y: number): number => y0 + M.top + h - ((Math.log10(y) - yl) / (yh - yl || 1)) * h;
  const out: string[] = [];
  if (target !== undefined) {
    // The target: at most this many requests and this p95 latency (lower left).
    const tx = px(target.req);
    const ty = py(target.latP95 / 1000);
    out.push(`<rect x="${x0 + M.left}" y="${ty.toFixed(1)}" width="${(tx - x0 - M.left).toFixed(1)}" height="${(y0 + M.top + h - ty).toFixed(1)}" fill="#d62728" fill-opacity="0.08" stroke="#d62728" stroke-dasharray="4 3" stroke-opacity="0.5"/>`);
  }
  out.push(`<text x="${x0 + M.left}" y="${y0 + 18}" font-weight="bold">${esc(r.workload)}</text>`);
  out.push(`<rect x="${x0 + M.left}" y="${y0 + M.top}" width="${w}" height="${h}" fill="none" stroke="#999"/>`);
  for (const x of xs) {
    out.push(`<line x1="${px(x)}" x2="${px(x)}" y1="${y0 + M.top}" y2="${y0 + M.top + h}" stroke="#eee"/>`);
    out.push(`<text x="${px(x)}" y="${y0 + M.top + h + 14}" text-anchor="middle" font-size="10">${x}</text>`);
  }
  for (const y of ys) {
    out.push(`<line x1="${x0 + M.left}" x2="${x0 + M.left + w}" y1="${py(y)}" y2="${py(y)}" stroke="#eee"/>`);
    out.push(`<text x="${x0 + M.left - 4}" y="${py(y) + 3}" text-anchor="end" font-size="10">${y}</text>`);
  }
  out.push(`<text x="${x0 + M.left + w / 2}" y="${y0 + PANEL_H - 8}" text-anchor="middle" font-size="10">requests per job (mean)</text>`);
  out.push(`<text transform="translate(${x0 + 12},${y0 + M.top + h / 2}) rotate(-90)" text-anchor="middle" font-size="10">latency p95 (s)</text>`);
  for (const p of pts) {
    const c = COLORS[p.row.contender] ?? '#333';
    const r0 = p.row.ours ? 6 : 4;
    out.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="${r0}" fill="${c}"><title>${esc(p.row.contender)}: ${p.row.reqMean.toFixed(1)} req, p95 ${(p.row.latP95 / 1000).toFixed(2)} s</title></circle>`);
  }
  return out.join('\n');
}

export function renderSvg(results: readonly WorkloadResult[], targets: Record<string, { req: number; latP95: number }> = {}): string {
  const rows = Math.ceil(results.length / COLS);
  const legendH = 30;
  const W = COLS * PANEL_W;
  const H = rows * PANEL_H + legendH;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  parts.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  results.forEach((r, i) => parts.push(panel(r, (i % COLS) * PANEL_W, Math.floor(i / COLS) * PANEL_H, targets[r.workload])));
  let lx = 10;
  const ly = rows * PANEL_H + 18;
  for (const name of results[0]?.rows.map((r) => r.contender) ?? []) {
    parts.push(`<circle cx="${lx + 5}" cy="${ly - 4}" r="5" fill="${COLORS[name] ?? '#333'}"/><text x="${lx + 14}" y="${ly}">${esc(name)}</text>`);
    lx += 14 + name.length * 7 + 24;
  }
  parts.push(`<rect x="${lx}" y="${ly - 10}" width="14" height="12" fill="#d62728" fill-opacity="0.08" stroke="#d62728" stroke-dasharray="4 3" stroke-opacity="0.5"/><text x="${lx + 20}" y="${ly}">target</text>`);
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
