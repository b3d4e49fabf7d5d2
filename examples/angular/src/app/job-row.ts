import { AsyncPipe, DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { AsyncJob } from 'nucleus-rx';
import type { StepName } from './demo-pipeline';

/**
 * One table row per job, bound with the async pipe: `job() | async` subscribes to the AsyncJob (which
 * shares one polling loop among all its subscribers) and unsubscribes when the row goes away.
 */
@Component({
  selector: 'tr[app-job-row]',
  imports: [AsyncPipe, DatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let s = job() | async;
    @let pct = percent(s?.progress);
    <td>{{ step() }}</td>
    <td><code>{{ job().jobId }}</code></td>
    <td>{{ job().jobType }}</td>
    <td class="status" [class]="s?.phase ?? 'pending'">{{ s?.status ?? job().lastKnownStatus }}</td>
    <td>
      <div class="bar" [class]="s?.phase ?? 'pending'" role="progressbar" aria-valuemin="0" aria-valuemax="100"
           [attr.aria-valuenow]="pct" [attr.data-step]="step()">
        <div class="fill" [style.width.%]="pct"></div>
      </div>
    </td>
    <td><span class="pct">{{ pct }} %</span></td>
    <td class="muted">{{ s?.completedSteps ?? '–' }} / {{ s?.totalSteps ?? '–' }}</td>
    <td class="muted">{{ s?.observedAt | date: 'HH:mm:ss.SSS' }}</td>
  `,
})
export class JobRow {
  readonly step = input.required<StepName>();
  readonly job = input.required<AsyncJob>();

  percent(progress: number | undefined): number {
    return Math.round((progress ?? 0) * 100);
  }
}
