/**
 * The first five items of a list joined by `separator`, then how many more there are: how error
 * messages list paths and issues.
 *
 * @example
 * ```ts
 * firstFew(['a', 'b', 'c', 'd', 'e', 'f', 'g'], ', '); // 'a, b, c, d, e, and 2 more'
 * ```
 */
export function firstFew(items: readonly string[], separator: string): string {
  return items.slice(0, 5).join(separator) + (items.length > 5 ? `${separator}and ${items.length - 5} more` : '');
}
