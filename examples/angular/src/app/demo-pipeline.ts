/**
 * The demo's pipeline: create a dataset, append the items, then annotate them, as one `concatJobs`
 * chain. The dashboard learns of each job the moment it is submitted (to show its row) and of the
 * chain's end (success, or the failed step's JobError).
 */
import { Injectable } from '@angular/core';
import { concatJobs, type AsyncJob, type StepSnapshot } from 'nucleus-rx';
import { injectNucleusClient } from 'nucleus-rx/angular';
import { Observable, defer, switchMap, tap } from 'rxjs';
import { demoAnnotations, demoItems } from './demo-data';

export type StepName = 'append' | 'annotate';

export interface SubmittedStep {
  readonly step: StepName;
  readonly job: AsyncJob;
}

@Injectable({ providedIn: 'root' })
export class DemoPipeline {
  private readonly client = injectNucleusClient();

  /**
   * Runs the chain. `onSubmitted` is called with each job as soon as it exists; the returned stream
   * emits the chain's tagged snapshots and ends with the first failed step's JobError.
   */
  run$(onSubmitted: (step: SubmittedStep) => void): Observable<StepSnapshot> {
    // Cold: each subscription creates its own dataset, then submits the steps one after the other.
    return defer(() => this.client.createDataset({ name: `dashboard-${Date.now()}` })).pipe(
      switchMap((dataset) =>
        concatJobs(
          () => dataset.append(demoItems(), { asynchronous: true }).pipe(tap((job) => onSubmitted({ step: 'append', job }))),
          () => dataset.annotate(demoAnnotations(), { asynchronous: true }).pipe(tap((job) => onSubmitted({ step: 'annotate', job }))),
        ),
      ),
    );
  }
}
