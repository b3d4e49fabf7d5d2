import { expect } from 'chai';
import { createManualClock } from '../../lib/emulator/clock.js';
import { JobEngine, isTerminalStatus, splitLines } from '../../lib/emulator/engine.js';
import { Store } from '../../lib/emulator/store.js';

function engineWithJob(lines: number) {
  const clock = createManualClock();
  const store = new Store();
  const engine = new JobEngine(clock, { linesPerStep: 10, stepMs: 100, queueMs: 100 }, store);
  const ds = store.createDataset('t', { name: 'd', isScene: false, usePrivacyMode: false, createdAt: clock.now() });
  const body = Buffer.from(Array.from({ length: lines }, (_, i) => JSON.stringify({ reference_id: `i${i}`, image_url: 's3://b/i' })).join('\n'));
  const job = engine.start({ tenant: 't', datasetId: ds.id, type: 'uploadDatasetItems', requestId: 'r1', update: false, body });
  return { clock, engine, job, bytes: body.length };
}

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

  it('a job forced into a terminal state lets go of its upload (it counts against the storage limit)', () => {
    const { clock, engine, job, bytes } = engineWithJob(30);
    clock.advance(200);
    expect(engine.heldBytes).to.equal(bytes);
    engine.force(job, { status: 'Errored_Server' });
    expect(engine.heldBytes).to.equal(0);
    expect(engine.state(job)).to.include({ linesAccepted: 10, linesPending: 20 });
  });

  it('accounts for every line when a job that let go of its upload is forced back to running', () => {
    const { clock, engine, job } = engineWithJob(30);
    clock.advance(200);
    engine.cancel(job);
    engine.force(job, { status: 'Running', pin: false });
    clock.advance(10_000);
    expect(job.status).to.equal('Errored_Partial');
    expect(job.message).to.contain('30 lines received: 10 accepted').and.contain('0 rejected, 20 not processed.');
  });
});
