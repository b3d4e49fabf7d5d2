/**
 * Terminal safety for everything the server sends: job ids, statuses, messages, job types, error
 * strings. A server (or whoever wrote an annotation's metadata) must not be able to move the cursor,
 * retitle the window, write to the clipboard (OSC 52), fake a hyperlink or reorder text with bidi
 * overrides on the user's terminal. Every value of server origin goes through {@link sanitize} (text)
 * or {@link toSafeJson} (JSON output) before it is printed.
 */

// ESC-introduced sequences (ECMA-48): CSI, OSC / DCS / SOS / PM / APC strings (to BEL, ST or the end
// of the text when unterminated), then any other two- or three-character escape.
const ESC_SEQUENCE =
  /\u001b\[[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|\u001b[\]PX^_][\s\S]*?(?:\u0007|\u001b\\|$)|\u001b[\u0020-\u002f]*[\u0030-\u007e]?/g;
// The 8-bit (C1) forms of the same: CSI (0x9B) and the string introducers OSC, DCS, SOS, PM, APC.
const C1_SEQUENCE = /\u009b[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|[\u009d\u0090\u0098\u009e\u009f][\s\S]*?(?:\u0007|\u009c|$)/g;
// Whitespace controls become a space so that words stay apart on one line.
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
// What is left of C0, DEL and C1, plus the bidi embeddings, overrides and isolates.
const OTHER_CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text safe to print on a terminal, on one line: escape sequences and control characters removed,
 * line breaks and tabs turned into spaces. Non-strings are shown as JSON first.
 *
 * @example
 * sanitize('\u001b]0;pwned\u0007Item \u001b[31mimg_1\u001b[0m missing') // 'Item img_1 missing'
 */
export function sanitize(value: unknown): string {
  const text = typeof value === 'string' ? value : value === undefined ? '' : safeStringify(value);
  return text.replace(ESC_SEQUENCE, '').replace(C1_SEQUENCE, '').replace(LINE_BREAKS, ' ').replace(OTHER_CONTROLS, '');
}

// JSON.stringify escapes C0 but passes DEL, C1, the line separators and bidi controls through.
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * One line of JSON that is safe to print on a terminal and keeps the data intact: every control
 * character is written as a `\uXXXX` escape (which `JSON.parse` turns back into the original).
 *
 * @example
 * toSafeJson({ message: '\u001b[2J' }) // '{"message":"\\u001b[2J"}'
 */
export function toSafeJson(value: unknown): string {
  return safeStringify(value).replace(JSON_UNSAFE, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
