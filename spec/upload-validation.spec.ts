import { expect } from 'chai';
import { ValidationError } from '../lib/errors.js';
import { isRemoteUrl, validateAnnotations, validateItems } from '../lib/upload-validation.js';

const item = (ref: string, url = `s3://bucket/${ref}.jpg`) => ({ reference_id: ref, image_url: url });
const box = (ref: string, id?: string) => ({
  type: 'box' as const,
  label: 'car',
  reference_id: ref,
  geometry: { x: 1, y: 2, width: 3, height: 4 },
  ...(id === undefined ? {} : { annotation_id: id }),
});

function validationError(f: () => unknown): ValidationError {
  try {
    f();
  } catch (e) {
    expect(e).to.be.instanceOf(ValidationError);
    return e as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('upload validation', () => {
  it('tells remote URLs from local paths', () => {
    for (const u of ['s3://b/a.jpg', 'gs://b/a.jpg', 'https://x.test/a.jpg', 'http://x.test/a', 'az://c/a']) expect(isRemoteUrl(u), u).to.equal(true);
    for (const u of ['/home/me/a.jpg', './a.jpg', 'a.jpg', 'C:\\a.jpg', 'c://a.jpg', 'file:///a.jpg', 'https:///a', '~/a.jpg']) expect(isRemoteUrl(u), u).to.equal(false);
  });

  it('accepts good items, normalising ref_id', () => {
    const lines = validateItems([item('a'), { ref_id: 'b', image_url: 's3://b/b.jpg' }]).split('\n');
    expect(lines.map((l) => JSON.parse(l))).to.deep.equal([item('a'), item('b', 's3://b/b.jpg')]);
  });

  it('refuses an empty list', () => {
    expect(validationError(() => validateItems([])).message).to.match(/empty/);
    expect(validationError(() => validateAnnotations([])).message).to.match(/empty/);
    expect(validationError(() => validateItems([])).issues).to.deep.equal([{ message: 'no items' }]);
    expect(validationError(() => validateItems('abc' as never)).issues).to.deep.equal([{ message: 'not an array' }]);
  });

  it('refuses duplicate reference ids, naming both indices', () => {
    const e = validationError(() => validateItems([item('a'), item('b'), item('a')]));
    expect(e.issues).to.deep.equal([{ index: 2, message: 'item 2 repeats reference_id "a" of item 0' }]);
  });

  it('refuses local paths for async uploads', () => {
    const e = validationError(() => validateItems([item('a', '/data/a.jpg'), item('b', 'C:\\b.jpg')]));
    expect(e.issues.map((i) => i.index)).to.deep.equal([0, 1]);
    expect(e.message).to.match(/local image_url/);
    const m = validationError(() => validateAnnotations([{ mask_url: './mask.png', annotations: [], reference_id: 'a' }]));
    expect(m.message).to.match(/local mask_url/);
  });

  it('reports malformed entries by index and path', () => {
    const e = validationError(() => validateItems([item('a'), { image_url: 's3://x' }]));
    expect(e.issues).to.deep.equal([{ index: 1, message: 'item 1 is malformed at reference_id' }]);
  });

  it('refuses duplicate (reference_id, annotation_id) but allows the same id on other items and unnamed annotations', () => {
    expect(validateAnnotations([box('a', 'x'), box('b', 'x'), box('a'), box('a')]).split('\n')).to.have.length(4);
    const e = validationError(() => validateAnnotations([box('a', 'x'), box('a', 'y'), box('a', 'x')]));
    expect(e.issues).to.deep.equal([{ index: 2, message: 'annotation 2 repeats (reference_id "a", annotation_id "x") of annotation 0' }]);
  });

  it('refuses a list that is not an array, saying so rather than calling it empty', () => {
    for (const bad of ['abc', { 0: item('a'), length: 1 }, null, undefined]) {
      const e = validationError(() => validateItems(bad as never));
      expect(e.message, String(bad)).to.match(/must be an array/).and.not.match(/empty/);
      expect(validationError(() => validateAnnotations(bad as never)).message).to.match(/must be an array/);
    }
  });

  it('refuses entries that cannot be serialised as JSON, by index (BigInt, a cycle, a throwing toJSON, a toJSON of nothing)', () => {
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    const bad = [{ n: 10n }, cycle, { toJSON: () => { throw new Error('boom'); } }];
    const e = validationError(() =>
      validateItems([item('a'), ...bad.map((metadata, i) => ({ ...item(`b${i}`), metadata })), { ...item('c'), toJSON: () => undefined }]),
    );
    expect(e.issues).to.deep.equal([1, 2, 3, 4].map((index) => ({ index, message: `item ${index} cannot be serialised as JSON` })));
    expect(e.message).not.to.match(/boom|BigInt|circular/i);
    const a = validationError(() => validateAnnotations([box('a'), { ...box('b'), metadata: { n: 1n } }]));
    expect(a.issues).to.deep.equal([{ index: 1, message: 'annotation 1 cannot be serialised as JSON' }]);
  });

  it('refuses widths and heights that are not positive finite numbers', () => {
    const sizes = [NaN, Infinity, -Infinity, 0, -1];
    const e = validationError(() => validateItems([{ ...item('ok'), width: 640, height: 0.5 }, ...sizes.map((width, i) => ({ ...item(`w${i}`), width })), { ...item('h'), height: NaN }]));
    expect(e.issues).to.deep.equal([
      ...sizes.map((_, i) => ({ index: i + 1, message: `item ${i + 1} is malformed at width` })),
      { index: 6, message: 'item 6 is malformed at height' },
    ]);
  });

  it('returns the NDJSON lines to send', () => {
    expect(validateItems([{ ...item('a'), width: 640, metadata: { k: 'v' } }, item('b')])).to.equal(
      '{"reference_id":"a","image_url":"s3://bucket/a.jpg","width":640,"metadata":{"k":"v"}}\n{"reference_id":"b","image_url":"s3://bucket/b.jpg"}',
    );
  });

  it('caps the message at five issues', () => {
    const e = validationError(() => validateItems(Array.from({ length: 8 }, () => item('same'))));
    expect(e.issues).to.have.length(7);
    expect(e.message).to.match(/and 2 more$/);
  });
});
