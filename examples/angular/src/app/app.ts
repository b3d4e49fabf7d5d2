import { ChangeDetectionStrategy, Component } from '@angular/core';
import { pauseWhenHidden } from 'nucleus-rx';

@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<main><h1>hello</h1></main>`,
})
export class App {
  readonly p = pauseWhenHidden();
}
