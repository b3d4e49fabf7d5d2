import { expect } from 'chai';
import { parseJobErrorLine } from '../../lib/cli/job-error-line.js';

describe('cli/job-error-line', () => {
  it('reads the error and the reference id of the record (the guide example)', () => {
    const raw =
      '{"annotation":{"label":"car","type":"box","geometry":{"x":50,"y":60,"width":70,"height":80},"referenceId":"bad_ref_id","annotationId":"attempted_annot_upload","metadata":{}},"error":"Item with id bad_ref_id doesn\'t exist."}';
    expect(parseJobErrorLine(raw)).to.deep.equal({ error: "Item with id bad_ref_id doesn't exist.", referenceId: 'bad_ref_id', raw });
  });

  it('reads snake_case and top-level reference ids, and doubled escapes', () => {
    expect(parseJobErrorLine('{"item":{"reference_id":"img_2"},"error":"bad url"}').referenceId).to.equal('img_2');
    expect(parseJobErrorLine('{"referenceId":"img_3","error":"x"}').referenceId).to.equal('img_3');
    const doubled = '{"annotation":{"referenceId":"img_4"},"error":"line one\\\\nline two \\\\"quoted\\\\""}';
    expect(parseJobErrorLine(doubled)).to.include({ referenceId: 'img_4', error: 'line one\nline two "quoted"' });
  });

  it('keeps plain text and JSON without an error field as they are', () => {
    expect(parseJobErrorLine('Server exploded')).to.deep.equal({ error: 'Server exploded', referenceId: undefined, raw: 'Server exploded' });
    expect(parseJobErrorLine('[1,2]')).to.deep.equal({ error: '[1,2]', referenceId: undefined, raw: '[1,2]' });
    expect(parseJobErrorLine('{"annotation":{"referenceId":5}}')).to.deep.equal({ error: '{"annotation":{"referenceId":5}}', referenceId: undefined, raw: '{"annotation":{"referenceId":5}}' });
  });
});
