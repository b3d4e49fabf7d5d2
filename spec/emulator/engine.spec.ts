import { expect } from 'chai';
import { isTerminalStatus, splitLines } from '../../lib/emulator/engine.js';

describe('emulator: job engine', () => {
  it('splitLines keeps non-blank lines with their 1-based numbers, LF or CRLF, bytes undecoded', () => {
    const body = Buffer.concat([Buffer.from('a\r\n\n  \r\nb\n'), Buffer.from([0xff, 0x0a]), Buffer.from('c')]);
    const lines = splitLines(body);
    expect(lines.map((l) => [l.n, l.bytes.toString('latin1')])).to.deep.equal([[1, 'a'], [4, 'b'], [5, '\xff'], [6, 'c']]);
    expect(splitLines(Buffer.from(''))).to.deep.equal([]);
    expect(splitLines(Buffer.from('x\n'))).to.have.length(1);
  });

  it('knows which statuses end a job', () => {
    for (const s of ['Completed', 'Errored_User', 'Errored_Partial', 'Errored_Server', 'Errored_Whatever', 'Cancelled']) expect(isTerminalStatus(s), s).to.equal(true);
    for (const s of ['Queued', 'Running', 'Retried', 'Frobnicating']) expect(isTerminalStatus(s), s).to.equal(false);
  });
});
