import { expect } from 'chai';
import { sanitize, toSafeJson } from '../../lib/cli/sanitize.js';

describe('cli/sanitize', () => {
  it('removes CSI sequences (colours, cursor moves, screen clears)', () => {
    expect(sanitize('\u001b[31mred\u001b[0m \u001b[2J\u001b[1;1Hhome \u001b[?25l')).to.equal('red home ');
  });

  it('removes OSC strings terminated by BEL or ST, and unterminated ones', () => {
    expect(sanitize('a\u001b]0;window title\u0007b')).to.equal('ab');
    expect(sanitize('a\u001b]52;c;ZXZpbA==\u001b\\b')).to.equal('ab');
    expect(sanitize('a\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\b')).to.equal('alinkb');
    expect(sanitize('a\u001b]0;never ends')).to.equal('a');
  });

  it('removes DCS/APC strings, two-character escapes and 8-bit C1 sequences', () => {
    expect(sanitize('a\u001bPq#0;2;0;0;0\u001b\\b\u001b_apc\u001b\\c')).to.equal('abc');
    expect(sanitize('a\u001bcb\u001b7c\u001b(Bd')).to.equal('abcd');
    expect(sanitize('a\u009b31mb\u009d0;t\u009cc\u0085d')).to.equal('abc d');
  });

  it('turns line breaks and tabs into spaces and drops other controls and bidi overrides', () => {
    expect(sanitize('one\r\ntwo\tthree\rfour')).to.equal('one two three four');
    expect(sanitize('bell\u0007 nul\u0000 del\u007f bs\u0008')).to.equal('bell nul del bs');
    expect(sanitize('abc\u202eevil\u202c\u2066x\u2069')).to.equal('abcevilx');
  });

  it('keeps ordinary text, accents and emoji, and shows non-strings as JSON', () => {
    expect(sanitize("Item with id img_1 doesn't exist. Größe ✓ 🚗")).to.equal("Item with id img_1 doesn't exist. Größe ✓ 🚗");
    expect(sanitize({ result: ['s3://a\u001b[2Jb'] })).to.equal('{"result":["s3://a\\u001b[2Jb"]}');
    expect(sanitize(undefined)).to.equal('');
    expect(sanitize(42)).to.equal('42');
  });

  it('toSafeJson escapes every control character and JSON.parse restores the data', () => {
    const value = { message: 'a\u001b[2J\u009b31m\u2028\u202eb', n: 1 };
    const json = toSafeJson(value);
    expect(json).to.match(/^[\u0020-\u007e]*$/);
    expect(JSON.parse(json)).to.deep.equal(value);
  });
});
