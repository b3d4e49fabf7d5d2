/**
 * Progress as bars redrawn in place (cli-progress's MultiBar), one per job, for terminals. The
 * MultiBar's own timer redraws them, so elapsed time and ETA move even between polls.
 */
import { MultiBar, type SingleBar } from 'cli-progress';
import type { JobProgress, ProgressRow } from './job-progress.js';
import type { Output } from './output.js';
import { formatPercent, formatSteps, formatTiming, statusStyle, type ProgressView } from './progress-view.js';

const BAR_WIDTH = 24;
const SCALE = 1000;

export class ProgressBars implements ProgressView {
  readonly #output: Output;
  readonly #now: () => number;
  readonly #multi: MultiBar;
  readonly #bars = new Map<JobProgress, SingleBar>();
  readonly #labelWidth: () => number;
  #stopped = false;

  constructor(output: Output, now: () => number) {
    this.#output = output;
    this.#now = now;
    this.#labelWidth = () => Math.max(0, ...[...this.#bars.keys()].map((j) => j.row(0).label.length));
    this.#multi = new MultiBar({
      stream: output.stdout as NodeJS.WritableStream,
      format: (_options, _params, payload: { job: JobProgress }) => this.#format(payload.job.row(this.#now())),
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      // We handle SIGINT ourselves (unsubscribe, then stop the bars).
      gracefulExit: false,
      fps: 10,
    });
  }

  add(job: JobProgress): void {
    if (this.#stopped || this.#bars.has(job)) return;
    this.#bars.set(job, this.#multi.create(SCALE, 0, { job }));
  }

  changed(job: JobProgress): void {
    if (this.#stopped) return;
    if (!this.#bars.has(job)) this.add(job);
    const p = job.snapshot?.progress ?? 0;
    this.#bars.get(job)?.update(Math.round(p * SCALE), { job });
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#multi.stop();
  }

  #format(row: ProgressRow): string {
    const columns = this.#output.stdout.columns ?? 80;
    const filled = Math.round((row.progress ?? 0) * BAR_WIDTH);
    const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
    const label = row.label.padEnd(this.#labelWidth());
    const pct = formatPercent(row.progress).padStart(4);
    const steps = formatSteps(row);
    const head = `${label}  ${bar} ${pct}  `;
    const status = row.status.padEnd(15);
    const tail = `  ${steps ? steps + '  ' : ''}${formatTiming(row)}${row.message ? '  ' + row.message : ''}`;
    // Cut to the width: a wrapped line breaks the in-place redraw. cli-progress itself cuts the last
    // frame at the width counting colour codes as characters, so count them too.
    const room = Math.max(0, columns - 1 - head.length);
    const plainStatus = status.slice(0, room);
    const style = statusStyle(row);
    const paintedStatus = style ? this.#output.paint(style, plainStatus) : plainStatus;
    const plainTail = tail.slice(0, Math.max(0, room - paintedStatus.length));
    return head + paintedStatus + plainTail;
  }
}
