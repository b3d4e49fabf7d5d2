import { ChangeDetectionStrategy, Component, DestroyRef, Injector, computed, inject, signal, type Signal } from '@angular/core';
import { isJobError, type AsyncJob, type JobSnapshot } from 'nucleus-rx';
import { jobSignal } from 'nucleus-rx/angular';
import type { Subscription } from 'rxjs';
import { DemoPipeline, type StepName } from './demo-pipeline';
import { ITEM_COUNT, MISSING_REFERENCE_IDS } from './demo-data';
import { ErrorsPanel } from './errors-panel';
import { JobRow } from './job-row';

interface StepView {
  readonly step: StepName;
  readonly job: AsyncJob;
  /** The same job as a signal: a second subscriber of the job's one shared polling loop. */
  readonly snapshot: Signal<JobSnapshot | undefined>;
}

/** What the dashboard shows of a failed chain. */
interface Failure {
  readonly name: string;
  readonly message: string;
  readonly step: StepName | undefined;
  readonly jobId: string | undefined;
  readonly status: string | undefined;
  readonly firstErrors: readonly string[];
}

@Component({
  selector: 'app-root',
  imports: [JobRow, ErrorsPanel],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main>
      <h1>nucleus-rx · jobs dashboard</h1>
      <p class="lead">
        Appends {{ itemCount }} images to a new dataset, then annotates them: {{ missingCount }} annotations name
        items that do not exist. Jobs run on the local Nucleus emulator; progress and errors arrive live.
      </p>

      <section class="card">
        <button type="button" data-testid="run-chain" (click)="run()" [disabled]="running()">
          {{ running() ? 'Running…' : 'Run append → annotate' }}
        </button>
        <div class="summary" data-testid="summary">
          <span>Jobs: <b>{{ steps().length }}</b></span>
          <span>Overall: <b>{{ overall() }} %</b></span>
          <span>Outcome: <b data-testid="outcome">{{ outcome() }}</b></span>
        </div>
      </section>

      <section class="card">
        <h2>Jobs</h2>
        <table>
          <thead>
            <tr><th>Step</th><th>Job</th><th>Type</th><th>Status</th><th>Progress</th><th></th><th>Steps</th><th>Seen</th></tr>
          </thead>
          <tbody>
            @for (s of steps(); track s.job.jobId) {
              <tr app-job-row data-testid="job-row" [step]="s.step" [job]="s.job"></tr>
            } @empty {
              <tr><td colspan="8" class="muted">No job yet: press the button.</td></tr>
            }
          </tbody>
        </table>
      </section>

      @if (failure(); as f) {
        <section class="card">
          <h2>Failed step</h2>
          <div class="error-box" data-testid="job-error">
            <div><span class="name">{{ f.name }}</span> in step <b>{{ f.step ?? '?' }}</b>
              @if (f.status) { — <code>{{ f.status }}</code> }</div>
            <div>{{ f.message }}</div>
            @if (f.firstErrors.length > 0) {
              <div class="muted">First errors: {{ f.firstErrors.join(' · ') }}</div>
            }
          </div>
        </section>
      }

      <section class="card">
        <h2>Errors, live</h2>
        <app-errors-panel [job]="annotateJob()" />
      </section>
    </main>
  `,
})
export class App {
  readonly itemCount = ITEM_COUNT;
  readonly missingCount = MISSING_REFERENCE_IDS.length;

  private readonly pipeline = inject(DemoPipeline);
  private readonly injector = inject(Injector);
  private subscription: Subscription | undefined;

  readonly steps = signal<readonly StepView[]>([]);
  readonly running = signal(false);
  readonly failure = signal<Failure | undefined>(undefined);
  readonly succeeded = signal(false);

  readonly annotateJob = computed(() => this.steps().find((s) => s.step === 'annotate')?.job);
  /** Both steps weigh the same; a step not submitted yet counts as 0 %. */
  readonly overall = computed(() => {
    const done = this.steps().reduce((sum, s) => sum + (s.snapshot()?.progress ?? 0), 0);
    return Math.round((done / 2) * 100);
  });
  readonly outcome = computed(() => {
    if (this.running()) return 'running';
    if (this.failure()) return 'failed';
    return this.succeeded() ? 'completed' : '—';
  });

  constructor() {
    inject(DestroyRef).onDestroy(() => this.subscription?.unsubscribe());
  }

  run(): void {
    this.subscription?.unsubscribe();
    this.steps.set([]);
    this.failure.set(undefined);
    this.succeeded.set(false);
    this.running.set(true);
    this.subscription = this.pipeline
      .run$(({ step, job }) => {
        const snapshot = jobSignal(job, { injector: this.injector });
        this.steps.update((steps) => [...steps, { step, job, snapshot }]);
      })
      .subscribe({
        complete: () => {
          this.running.set(false);
          this.succeeded.set(true);
        },
        error: (err: unknown) => {
          this.running.set(false);
          this.failure.set(this.describe(err));
        },
      });
  }

  private describe(err: unknown): Failure {
    if (isJobError(err)) {
      return {
        name: err.name,
        message: err.message,
        step: this.steps().find((s) => s.job.jobId === err.jobId)?.step,
        jobId: err.jobId,
        status: err.status,
        firstErrors: err.errors.slice(0, 3).map((e) => e.message),
      };
    }
    const e = err instanceof Error ? err : new Error(String(err));
    return { name: e.name, message: e.message, step: undefined, jobId: undefined, status: undefined, firstErrors: [] };
  }
}
