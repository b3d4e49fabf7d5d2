/**
 * The rxjs values the root entry uses, imported in one place: a browser bundle with rxjs external
 * then holds one `import { ... } from "rxjs"` instead of one per module (0.1 KB gzip). Types are
 * imported from `rxjs` directly.
 *
 * @example
 * ```ts
 * import { Observable, map } from './rx.js';
 * ```
 */
export {
  Observable,
  asyncScheduler,
  catchError,
  concat,
  concatMap,
  defer,
  distinctUntilChanged,
  filter,
  firstValueFrom,
  from,
  lastValueFrom,
  map,
  of,
  scan,
  take,
  takeWhile,
  throwError,
  toArray,
} from 'rxjs';
