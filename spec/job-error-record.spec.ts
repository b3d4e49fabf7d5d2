import { expect } from 'chai';
import { parseJobErrorLine, undoDoubledEscapes } from '../lib/job-error-record.js';

const GUIDE_LINE =
  '{"annotation":{"label":"car","type":"box","geometry":{"x":50,"y":60,"width":70,"height":80},"referenceId":"bad_ref_id","annotationId":"attempted_annot_upload","metadata":{}},"error":"Item with id bad_ref_id doesn\'t exist."}';

describe('parseJobErrorLine', () => {
  it('types the guide example: message, referenceId and annotationId from camelCase fields', () => {
    const r = parseJobErrorLine(GUIDE_LINE);
    expect(r.raw).to.equal(GUIDE_LINE);
    expect(r.message).to.equal("Item with id bad_ref_id doesn't exist.");
    expect(r.referenceId).to.equal('bad_ref_id');
    expect(r.annotationId).to.equal('attempted_annot_upload');
    expect((r.parsed?.['annotation'] as { label: string }).label).to.equal('car');
    expect(Object.isFrozen(r)).to.equal(true);
  });

  it('keeps a line that is not JSON as text', () => {
    const r = parseJobErrorLine('Worker crashed: out of memory');
    expect(r).to.deep.equal({ raw: 'Worker crashed: out of memory', text: 'Worker crashed: out of memory', parsed: undefined, message: 'Worker crashed: out of memory' });
    expect('referenceId' in r).to.equal(false);
  });

  it('keeps JSON that is not an object unparsed', () => {
    expect(parseJobErrorLine('[1,2]').parsed).to.equal(undefined);
    expect(parseJobErrorLine('"just a string"').message).to.equal('"just a string"');
  });

  it('parses a line whose escapes were doubled', () => {
    // On the wire: {"error":"bad \\"quote\\"\\nline","item":{"reference_id":"r1"}} with doubled backslashes.
    const raw = '{"error":"bad \\\\"quote\\\\"\\\\nline","item":{"reference_id":"r1"}}';
    expect(() => JSON.parse(raw)).to.throw();
    const r = parseJobErrorLine(raw);
    expect(r.parsed).to.not.equal(undefined);
    expect(r.message).to.equal('bad "quote"\nline');
    expect(r.referenceId).to.equal('r1');
  });

  it('undoes doubled escapes exactly as the Python client does', () => {
    expect(undoDoubledEscapes('a\\\\nb\\\\tc\\\\"d')).to.equal('a\nb\tc"d');
    expect(undoDoubledEscapes('plain \\n stays')).to.equal('plain \\n stays');
    expect(parseJobErrorLine('x\\\\ny').text).to.equal('x\ny');
  });

  it('prefers the record\'s own ids and accepts snake_case', () => {
    const r = parseJobErrorLine('{"referenceId":"top","annotation":{"referenceId":"nested"},"message":"m","annotation_id":"a9"}');
    expect(r.referenceId).to.equal('top');
    expect(r.annotationId).to.equal('a9');
    expect(r.message).to.equal('m');
  });
});
