import { expect } from 'chai';
import { Output, type OutputStream } from '../../lib/cli/output.js';

export function memoryStream(isTTY = false): OutputStream & { text: () => string } {
  const chunks: string[] = [];
  return { isTTY, columns: 100, write: (c: string) => chunks.push(c), text: () => chunks.join('') };
}

describe('cli/output', () => {
  it('paints only on a terminal without NO_COLOR or TERM=dumb', () => {
    expect(new Output(memoryStream(true), memoryStream(), {}).paint('red', 'x')).to.equal('\u001b[31mx\u001b[39m');
    expect(new Output(memoryStream(false), memoryStream(), {}).paint('red', 'x')).to.equal('x');
    expect(new Output(memoryStream(true), memoryStream(), { NO_COLOR: '1' }).paint('red', 'x')).to.equal('x');
    expect(new Output(memoryStream(true), memoryStream(), { NO_COLOR: '' }).color).to.equal(true);
    expect(new Output(memoryStream(true), memoryStream(), { TERM: 'dumb' }).color).to.equal(false);
  });

  it('writes lines and terminal-safe NDJSON to stdout, warnings to stderr', () => {
    const out = memoryStream();
    const err = memoryStream();
    const o = new Output(out, err, {});
    o.line('hello');
    o.json({ m: '\u001b[2J' });
    o.warn('careful');
    expect(out.text()).to.equal('hello\n{"m":"\\u001b[2J"}\n');
    expect(err.text()).to.equal('careful\n');
  });

  it('replaces registered secrets everywhere it writes', () => {
    const out = memoryStream();
    const err = memoryStream();
    const o = new Output(out, err, {});
    o.addSecret('sk_live_12345');
    o.line('key sk_live_12345 here');
    o.json({ key: 'sk_live_12345' });
    o.warn('sk_live_12345sk_live_12345');
    expect(out.text() + err.text()).to.not.contain('sk_live_12345');
    expect(out.text()).to.equal('key *** here\n{"key":"***"}\n');
    expect(err.text()).to.equal('******\n');
  });
});
