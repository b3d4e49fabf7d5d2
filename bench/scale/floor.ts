/**
 * The floor: the cheapest honest watcher, to tell what this machine can do at all. One `setTimeout`
 * loop per job over `node:http` with one keep-alive `Agent`, the body concatenated and
 * `JSON.parse`d, the same fixed interval (after each answer) and the same terminal check as the
 * baseline. No fetch, no promises, no AbortController per request, no decoding beyond JSON.
 */
import * as http from 'node:http';
import { TERMINAL } from './baseline.js';
import type { Watching } from './measure.js';
import { staggered } from './stagger.js';

export function floorWatch(base: string, authorization: string, jobIds: readonly string[], intervalMs: number, spread: boolean): Watching {
  const url = new URL(base);
  // Same as undici's default for one origin: no cap on connections, idle ones kept for 4 s.
  const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 1000, timeout: 4000 });
  const headers = { authorization };
  let requests = 0;
  let inFlight = 0;
  let held = false;
  let stopped = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const requestsOpen = new Set<http.ClientRequest>();

  // Per job: the last status seen (a change a UI would render).
  const last: string[] = new Array<string>(jobIds.length).fill('');

  const poll = (i: number): void => {
    if (stopped) return;
    if (held) return; // a held job is still watched: it simply starts no new poll
    requests++;
    inFlight++;
    // In flight until the answer's head arrives, as the other contenders count (until fetch resolves).
    let landed = false;
    const land = (): void => {
      if (!landed) (landed = true), inFlight--;
    };
    const id = jobIds[i]!;
    const req = http.request({ host: url.hostname, port: url.port, path: `${url.pathname}job/${id}`, method: 'GET', headers, agent }, (res) => {
      land();
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        requestsOpen.delete(req);
        try {
          const body = JSON.parse(text) as { status?: unknown; job_progress?: unknown; completed_steps?: unknown };
          const now = `${String(body.status)}|${String(body.job_progress)}|${String(body.completed_steps)}`;
          if (now !== last[i]) last[i] = now;
          if (typeof body.status === 'string' && TERMINAL.test(body.status)) return;
        } catch {
          // a malformed body: poll again, as the baseline does
        }
        again(i);
      });
    });
    requestsOpen.add(req);
    req.on('error', () => {
      if (!requestsOpen.delete(req)) return;
      land();
      again(i);
    });
    req.end();
  };
  const again = (i: number): void => {
    if (stopped) return;
    const t = setTimeout(() => {
      timers.delete(t);
      poll(i);
    }, intervalMs);
    timers.add(t);
  };
  const starts = staggered(jobIds.length, intervalMs, spread, poll);

  return {
    requests: () => requests,
    inFlight: () => inFlight,
    hold: () => {
      held = true;
    },
    stop: async () => {
      stopped = true;
      starts.cancel();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const r of requestsOpen) r.destroy();
      requestsOpen.clear();
      agent.destroy();
    },
  };
}
