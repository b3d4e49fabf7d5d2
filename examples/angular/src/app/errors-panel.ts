import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import type { AsyncJob, JobErrorRecord } from 'nucleus-rx';
import { EMPTY, scan, startWith, switchMap } from 'rxjs';

/**
 * The errors of a running job, filling live: `errors$({ live: true })` emits each new error line once
 * while the job runs, and completes after the job ended.
 */
@Component({
  selector: 'app-errors-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (job(); as j) {
      <p class="muted">Errors of <code>{{ j.jobId }}</code> ({{ errors().length }} so far)</p>
      <ul class="errors">
        @for (e of errors(); track $index) {
          <li data-testid="error-item"><code>{{ e.referenceId ?? '?' }}</code> — {{ e.message }}</li>
        }
      </ul>
    } @else {
      <p class="muted">No annotation job yet.</p>
    }
  `,
})
export class ErrorsPanel {
  readonly job = input<AsyncJob | undefined>(undefined);

  readonly errors = toSignal(
    toObservable(this.job).pipe(
      switchMap((job) =>
        job === undefined
          ? EMPTY.pipe(startWith([] as JobErrorRecord[]))
          : job.errors$({ live: true }).pipe(
              scan((all, e) => [...all, e], [] as JobErrorRecord[]),
              startWith([] as JobErrorRecord[]),
            ),
      ),
    ),
    { initialValue: [] as JobErrorRecord[] },
  );
}
