/**
 * Decoding answers with io-ts into values or a `DecodeError` that names the route and the paths of
 * the offending fields, never their values.
 */
import * as t from 'io-ts';
import { DecodeError } from '../errors.js';

/**
 * The field paths of io-ts errors, e.g. `job_progress`, `[3].reference_id`: the member indices of
 * unions and intersections are left out (they are codec structure, not data), duplicates dropped.
 *
 * @example
 * ```ts
 * errorPaths(t.type({ a: t.string }).decode({ a: 1 }).left); // ['a']
 * ```
 */
export function errorPaths(errors: t.Errors): string[] {
  const out = new Set<string>();
  for (const error of errors) {
    let path = '';
    const ctx = error.context;
    for (let i = 1; i < ctx.length; i++) {
      const parent = ctx[i - 1]!;
      const tag = (parent.type as { _tag?: string })._tag;
      if (tag === 'UnionType' || tag === 'IntersectionType') continue;
      // A member of a union or intersection wrapped in a custom codec: same value, no data step.
      // (A field's value is never its parent object itself, so this only skips structure.)
      if (Object.is(parent.actual, ctx[i]!.actual)) continue;
      const key = ctx[i]!.key;
      if (key === '') continue;
      path += /^\d+$/.test(key) ? `[${key}]` : path === '' ? key : `.${key}`;
    }
    out.add(path === '' ? '(root)' : path);
  }
  return [...out];
}

/**
 * Decodes a value or throws a `DecodeError` for `route`.
 *
 * @example
 * ```ts
 * const info = decodeOrThrow(JobInfo, JSON.parse(text), 'job/j1/info');
 * ```
 */
export function decodeOrThrow<A>(codec: t.Decoder<unknown, A>, value: unknown, route: string, what?: string): A {
  const result = codec.decode(value);
  if (result._tag === 'Right') return result.right;
  const errors = result.left;
  throw new DecodeError({ route, paths: errorPaths(errors), errors, what });
}

/** Parses a JSON body or throws a `DecodeError` for `route` (the body is not repeated). */
export function parseJsonOrThrow(text: string, route: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DecodeError({ route, paths: [], what: 'Answer (not JSON)', notJson: true });
  }
}
