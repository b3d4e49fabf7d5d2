/**
 * The hand-written baseline: one `async` loop per job with `fetch` and `setTimeout`, parsing the
 * answer and stopping on a terminal status; what a careful user would write without the library.
 *
 * `lean`: the same loop with the request and its parsing in a helper `async` function. The loop of
 * the plain baseline keeps its last response alive while it waits (V8 keeps the fetch's promise,
 * resolved with the Response and its body stream, in the suspended function's registers: in 1,159
 * of 3,000 loops in one heap snapshot), and how many do varies from run to run; the lean loop keeps
 * only the parsed status.
 */
import { setMaxListeners } from 'node:events';
import type { Watching } from './measure.js';
import { staggered } from './stagger.js';

/** A terminal status, as every hand-written contender checks it. */
export const TERMINAL = /^(Completed|Cancelled|Errored)/;

export function baselineWatch(base: string, authorization: string, jobIds: readonly string[], intervalMs: number, spread: boolean, lean = false): Watching {
  let requests = 0;
  let inFlight = 0;
  const landed = (): void => void inFlight--;
  let stopped = false;
  // Set by `hold`: a promise that never resolves, awaited before the next fetch.
  let held: Promise<void> | undefined;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const controller = new AbortController();
  // One signal shared by every loop: at 10,000 jobs thousands of requests listen to it at once,
  // which is fine but makes Node warn once per listener past 1,500 (flooding stderr).
  setMaxListeners(0, controller.signal);
  const loops: Promise<void>[] = [];
  type Body = { status?: unknown; job_progress?: unknown; completed_steps?: unknown };
  // Sends one status request, counted in flight until it lands.
  const send = (id: string): Promise<Response> => {
    inFlight++;
    const sent = fetch(`${base}job/${id}`, { headers: { authorization }, signal: controller.signal });
    sent.then(landed, landed);
    return sent;
  };
  // The lean loop's request: once it returns, nothing of the response is left in a waiting frame.
  const poll = async (id: string): Promise<Body> => (await (await send(id)).json()) as Body;
  const loop = async (id: string): Promise<void> => {
    let last = '';
    while (!stopped) {
      if (held) await held;
      requests++;
      try {
        let body: Body;
        if (lean) body = await poll(id);
        else {
          // The plain loop keeps the request's promise and response in its own frame.
          const sent = send(id);
          const res = await sent;
          body = (await res.json()) as Body;
        }
        const now = `${String(body.status)}|${String(body.job_progress)}|${String(body.completed_steps)}`;
        if (now !== last) last = now; // a change a UI would render
        if (typeof body.status === 'string' && TERMINAL.test(body.status)) return;
      } catch {
        if (stopped) return;
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          timers.delete(t);
          resolve();
        }, intervalMs);
        timers.add(t);
      });
    }
  };
  const starts = staggered(jobIds.length, intervalMs, spread, (i) => void loops.push(loop(jobIds[i]!)));
  return {
    requests: () => requests,
    inFlight: () => inFlight,
    hold: () => {
      held ??= new Promise<void>(() => undefined);
    },
    stop: async () => {
      stopped = true;
      starts.cancel();
      controller.abort();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.race([Promise.allSettled(loops), new Promise((r) => setTimeout(r, 100))]);
    },
  };
}
