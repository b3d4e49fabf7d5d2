import { expect } from 'chai';
import { annotationError, checkAnnotation, checkItem, isRemoteUrl, itemError, type JsonObject } from '../../lib/emulator/records.js';

const GUIDE_ERROR =
  '{"annotation":{"label":"car","type":"box","geometry":{"x":50,"y":60,"width":70,"height":80},"referenceId":"bad_ref_id","annotationId":"attempted_annot_upload","metadata":{}},"error":"Item with id bad_ref_id doesn\'t exist."}';

describe('emulator: upload records', () => {
  describe('annotationError', () => {
    it("renders the guide's example exactly, whatever the input key order", () => {
      const line = { metadata: {}, annotation_id: 'attempted_annot_upload', reference_id: 'bad_ref_id', geometry: { height: 80, width: 70, y: 60, x: 50 }, type: 'box', label: 'car' };
      expect(annotationError(line, "Item with id bad_ref_id doesn't exist.")).to.equal(GUIDE_ERROR);
    });

    it("renders the Python client's payload (with its null optional fields) as the guide's example", () => {
      const line = {
        label: 'car', type: 'box', geometry: { x: 50, y: 60, width: 70, height: 80 }, reference_id: 'bad_ref_id',
        annotation_id: 'attempted_annot_upload', metadata: {}, embedding_vector: null, track_reference_id: null,
      };
      expect(annotationError(line, "Item with id bad_ref_id doesn't exist.")).to.equal(GUIDE_ERROR);
    });

    it('defaults metadata to {} and camelCases other snake_case keys, not the metadata inside', () => {
      const s = annotationError({ label: 'x', type: 'segmentation', mask_url: 's3://m', reference_id: 'r', metadata: { some_key: 1 } } as JsonObject, 'e');
      expect(s).to.equal('{"annotation":{"label":"x","type":"segmentation","maskUrl":"s3://m","referenceId":"r","metadata":{"some_key":1}},"error":"e"}');
      expect(annotationError({ type: 'category', label: 'c', reference_id: 'r' }, 'e')).to.contain('"metadata":{}');
    });

    it('keeps a __proto__ key as plain data', () => {
      const line = JSON.parse('{"type":"box","__proto__":{"polluted":1},"reference_id":"r"}') as JsonObject;
      const s = annotationError(line, 'e');
      expect(JSON.parse(s).annotation).to.have.own.property('__proto__');
      expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    });

    it('slims records that would be huge', () => {
      const s = annotationError({ type: 'box', reference_id: 'r', annotation_id: 'a', metadata: { blob: 'x'.repeat(20_000) } }, 'e');
      expect(JSON.parse(s)).to.deep.equal({ annotation: { type: 'box', referenceId: 'r', annotationId: 'a' }, error: 'e', truncated: true });
    });
  });

  it('itemError camelCases the item', () => {
    expect(itemError({ image_url: 'x.jpg', reference_id: 'r' }, 'bad')).to.equal('{"item":{"imageUrl":"x.jpg","referenceId":"r"},"error":"bad"}');
  });

  describe('checkItem', () => {
    it('needs reference_id and a remote image_url', () => {
      expect(checkItem({ image_url: 's3://b/k.jpg', reference_id: 'r', metadata: { a: 1 }, width: 10, height: 20 }).ok).to.equal(true);
      const bad: JsonObject[] = [
        { image_url: 's3://b/k.jpg' },
        { image_url: 's3://b/k.jpg', reference_id: '' },
        { reference_id: 'r' },
        { image_url: '/tmp/k.jpg', reference_id: 'r' },
        { image_url: 'file:///tmp/k.jpg', reference_id: 'r' },
        { image_url: 's3://b/k.jpg', reference_id: 'r', metadata: [] },
        { image_url: 's3://b/k.jpg', reference_id: 'r', width: -1 },
      ];
      for (const line of bad) expect(checkItem(line).ok, JSON.stringify(line)).to.equal(false);
    });

    it('isRemoteUrl', () => {
      for (const u of ['s3://b/k', 'gs://b/k', 'https://h/k', 'http://h', 'az://acct/c/k']) expect(isRemoteUrl(u), u).to.equal(true);
      for (const u of ['/tmp/x', 'C:\\x', 'c://host/x', 'file:///x', 'relative/x.jpg', 's3://', 42]) expect(isRemoteUrl(u), String(u)).to.equal(false);
    });
  });

  describe('checkAnnotation', () => {
    const base = { reference_id: 'r', annotation_id: 'a', metadata: {} };
    const valid: JsonObject[] = [
      { ...base, type: 'box', label: 'car', geometry: { x: 1, y: 2, width: 3, height: 4 } },
      { ...base, type: 'line', label: 'lane', geometry: { vertices: [{ x: 0, y: 0 }, { x: 1, y: 1 }] } },
      { ...base, type: 'polygon', label: 'p', geometry: { vertices: [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }] } },
      { ...base, type: 'category', label: 'day', geometry: {}, taxonomy_name: 'time' },
      { ...base, type: 'multicategory', labels: ['a', 'b'], geometry: {} },
      { ...base, type: 'cuboid', label: 'car', geometry: { position: { x: 0, y: 0, z: 0 }, dimensions: { x: 1, y: 2, z: 3 }, yaw: 0.5 } },
      { ...base, type: 'segmentation', mask_url: 's3://b/mask.png', annotations: [{ label: 'sky', index: 1 }] },
      { ...base, type: 'keypoints', label: 'person', geometry: { keypoints: [{ x: 1, y: 1, visible: true }, { x: 2, y: 2, visible: false }], names: ['head', 'neck'], skeleton: [[0, 1]] } },
    ];
    it('accepts every annotation type of the protocol document', () => {
      for (const line of valid) {
        const r = checkAnnotation(line);
        expect(r.ok, `${line['type']}: ${r.ok ? '' : r.error}`).to.equal(true);
      }
      expect(checkAnnotation({ ...valid[0]!, annotation_id: undefined } as unknown as JsonObject)).to.deep.include({ ok: true });
    });

    it('rejects malformed annotations of each type with a message', () => {
      const invalid: JsonObject[] = [
        { ...base, type: 'circle', label: 'c' },
        { ...base, label: 'no type' },
        { ...base, type: 'box', label: 'car', geometry: { x: 1, y: 2, width: 3 } },
        { ...base, type: 'box', label: 'car', geometry: { x: 1, y: 2, width: -3, height: 4 } },
        { ...base, type: 'box', geometry: { x: 1, y: 2, width: 3, height: 4 } },
        { ...base, type: 'box', label: 'car', reference_id: '', geometry: { x: 1, y: 2, width: 3, height: 4 } },
        { ...base, type: 'line', label: 'l', geometry: { vertices: [{ x: 0, y: 0 }] } },
        { ...base, type: 'polygon', label: 'p', geometry: { vertices: [{ x: 0, y: 0 }, { x: 1, y: '1' }, { x: 2, y: 2 }] } },
        { ...base, type: 'category', label: 'c', geometry: [] },
        { ...base, type: 'multicategory', labels: [] },
        { ...base, type: 'cuboid', label: 'c', geometry: { position: { x: 0, y: 0 }, dimensions: { x: 1, y: 2, z: 3 }, yaw: 0 } },
        { ...base, type: 'cuboid', label: 'c', geometry: { position: { x: 0, y: 0, z: 0 }, dimensions: { x: 1, y: 2, z: 3 } } },
        { ...base, type: 'segmentation', mask_url: '/local/mask.png', annotations: [] },
        { ...base, type: 'segmentation', mask_url: 's3://m', annotations: [{ label: 'x', index: -1 }] },
        { ...base, type: 'keypoints', label: 'k', geometry: { keypoints: [{ x: 1, y: 1, visible: true }], names: ['a', 'b'], skeleton: [] } },
        { ...base, type: 'keypoints', label: 'k', geometry: { keypoints: [{ x: 1, y: 1, visible: true }], names: ['a'], skeleton: [[0, 3]] } },
        { ...base, type: 'category', label: 'c', annotation_id: 5 },
        { ...base, type: 'category', label: 'c', metadata: 'm' },
      ];
      for (const line of invalid) {
        const r = checkAnnotation(line);
        expect(r.ok, JSON.stringify(line)).to.equal(false);
        if (!r.ok) expect(r.error).to.match(/^[^\n]+\.$/);
      }
    });
  });
});
