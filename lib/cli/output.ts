/**
 * Where the CLI writes: stdout for results, stderr for diagnostics. Knows whether stdout is a
 * terminal (bars and colour) or not (plain lines), honours `NO_COLOR` and `TERM=dumb`, and removes
 * registered secrets from everything written through it, as a last line of defence.
 */
import { toSafeJson } from './sanitize.js';

export interface OutputStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
}

export type Style = 'green' | 'red' | 'yellow' | 'cyan' | 'dim' | 'bold';

const SGR: Record<Style, [number, number]> = {
  green: [32, 39],
  red: [31, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
};

export class Output {
  /** stdout is a terminal: live bars instead of lines. */
  readonly isTTY: boolean;
  /** Colour is on: stdout is a terminal, `NO_COLOR` is unset or empty and `TERM` is not `dumb`. */
  readonly color: boolean;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly #secrets: string[] = [];

  constructor(stdout: OutputStream, stderr: OutputStream, env: Readonly<Record<string, string | undefined>>) {
    this.stdout = stdout;
    this.stderr = stderr;
    this.isTTY = stdout.isTTY === true;
    this.color = this.isTTY && !env['NO_COLOR'] && env['TERM'] !== 'dumb';
  }

  /** Never print this value: it is replaced by `***` in everything written through this output. */
  addSecret(secret: string): void {
    if (secret.length >= 4) this.#secrets.push(secret);
  }

  /** One line of text on stdout. Server text must already be sanitised. */
  line(text = ''): void {
    this.stdout.write(this.redact(text) + '\n');
  }

  /** One line of JSON on stdout (NDJSON when called repeatedly), terminal-safe. */
  json(value: unknown): void {
    this.stdout.write(this.redact(toSafeJson(value)) + '\n');
  }

  /** One line on stderr. */
  warn(text: string): void {
    this.stderr.write(this.redact(text) + '\n');
  }

  /** The text in the style when colour is on, unchanged otherwise. */
  paint(style: Style, text: string): string {
    if (!this.color) return text;
    const [on, off] = SGR[style];
    return `\u001b[${on}m${text}\u001b[${off}m`;
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.#secrets) out = out.split(s).join('***');
    return out;
  }
}
