/**
 * A plain-text table: a header row, a rule, one row per record, columns padded to their widest cell.
 * No borders and no colour, so that it reads the same in a terminal, a log file and `grep`.
 */

export interface Column<Row> {
  readonly header: string;
  /** The cell text. Values of server origin must already be sanitised. */
  readonly cell: (row: Row) => string;
  /** Right-align (numbers). */
  readonly alignRight?: boolean;
  /** Cells longer than this are cut with an ellipsis. */
  readonly maxWidth?: number;
}

/**
 * The table as lines of text, without trailing spaces.
 *
 * @example
 * renderTable([{ header: 'ID', cell: (r: { id: string }) => r.id }], [{ id: 'job_1' }])
 * // ['ID', '-----', 'job_1']
 */
export function renderTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string[] {
  const cells = rows.map((row) => columns.map((c) => truncate(c.cell(row), c.maxWidth)));
  const widths = columns.map((c, i) => Math.max(width(c.header), ...cells.map((r) => width(r[i] ?? ''))));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (columns[i]?.alignRight ? padStart(v, widths[i] ?? 0) : padEnd(v, widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)];
}

// Code points, not UTF-16 units: close enough for ids, statuses and ISO dates.
function width(s: string): number {
  return [...s].length;
}

function truncate(s: string, max: number | undefined): string {
  if (max === undefined || width(s) <= max) return s;
  return [...s].slice(0, Math.max(0, max - 1)).join('') + '…';
}

function padEnd(s: string, w: number): string {
  return s + ' '.repeat(Math.max(0, w - width(s)));
}

function padStart(s: string, w: number): string {
  return ' '.repeat(Math.max(0, w - width(s))) + s;
}
