/**
 * A short, printable excerpt of an error answer's body, for error messages.
 */

/** Longest excerpt kept, in characters. */
export const EXCERPT_LENGTH = 200;

/**
 * Control characters removed, whitespace collapsed, cut to {@link EXCERPT_LENGTH} characters
 * (with an ellipsis), `undefined` for an empty body.
 *
 * @example
 * ```ts
 * bodyExcerpt('{"error":\n "no such job"}'); // '{"error": "no such job"}'
 * ```
 */
export function bodyExcerpt(text: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (clean === '') return undefined;
  return clean.length > EXCERPT_LENGTH ? `${clean.slice(0, EXCERPT_LENGTH)}…` : clean;
}
