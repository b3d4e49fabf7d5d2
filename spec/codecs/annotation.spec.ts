import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { ANNOTATION_TYPES, Annotation } from '../../lib/codecs/annotation.js';
import { errorPaths } from '../../lib/http/decode.js';

const failurePaths = (u: unknown) => {
  const r = Annotation.decode(u);
  return E.isLeft(r) ? errorPaths(r.left) : [];
};

const examples: Record<string, Record<string, unknown>> = {
  box: { type: 'box', label: 'car', geometry: { x: 50, y: 60, width: 70, height: 80 }, reference_id: 'img_1', annotation_id: 'a1', metadata: {} },
  line: { type: 'line', label: 'lane', geometry: { vertices: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }, reference_id: 'img_1' },
  polygon: { type: 'polygon', label: 'road', geometry: { vertices: [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }] }, reference_id: 'img_1' },
  category: { type: 'category', label: 'day', geometry: {}, taxonomy_name: 'time', reference_id: 'img_1' },
  multicategory: { type: 'multicategory', labels: ['sunny', 'dry'], geometry: {}, reference_id: 'img_1' },
  cuboid: {
    type: 'cuboid',
    label: 'car',
    geometry: { position: { x: 1, y: 2, z: 3 }, dimensions: { x: 4, y: 2, z: 1.5 }, yaw: 0.3 },
    reference_id: 'scene_1',
  },
  segmentation: { mask_url: 's3://b/mask.png', annotations: [{ label: 'road', index: 1 }], reference_id: 'img_1', annotation_id: 's1' },
  keypoints: {
    type: 'keypoints',
    label: 'person',
    geometry: { keypoints: [{ x: 1, y: 2, visible: true }, { x: 3, y: 4, visible: false }], names: ['head', 'neck'], skeleton: [[0, 1]] },
    reference_id: 'img_1',
  },
};

describe('Annotation codec', () => {
  it('has an example for every type', () => {
    expect(Object.keys(examples).sort()).to.deep.equal([...ANNOTATION_TYPES].sort());
  });

  for (const [type, example] of Object.entries(examples)) {
    it(`decodes a ${type} annotation, also with ref_id`, () => {
      expect(Annotation.decode(example)).to.deep.equal(E.right(example));
      const { reference_id, ...rest } = example;
      expect(Annotation.decode({ ...rest, ref_id: reference_id })).to.deep.equal(E.right(example));
    });
  }

  it('accepts a segmentation with an explicit type', () => {
    expect(E.isRight(Annotation.decode({ ...examples['segmentation'], type: 'segmentation' }))).to.equal(true);
  });

  it('reports malformed annotations at the paths of their own type', () => {
    expect(failurePaths({ ...examples['box'], geometry: { x: 1, y: 2, width: '3' } })).to.deep.equal(['geometry.width', 'geometry.height']);
    expect(failurePaths({ ...examples['polygon'], geometry: { vertices: [{ x: 0, y: 0 }, { x: 'a' }] } })).to.deep.equal([
      'geometry.vertices[1].x',
      'geometry.vertices[1].y',
    ]);
    expect(failurePaths({ ...examples['multicategory'], labels: 'sunny' })).to.deep.equal(['labels']);
    expect(failurePaths({ ...examples['cuboid'], geometry: { position: { x: 1, y: 2 }, dimensions: { x: 1, y: 1, z: 1 }, yaw: 0 } })).to.deep.equal([
      'geometry.position.z',
    ]);
    expect(failurePaths({ ...examples['keypoints'], geometry: { keypoints: [], names: [], skeleton: [[0]] } })).to.deep.equal(['geometry.skeleton[0][1]']);
    expect(failurePaths({ mask_url: 's3://m', annotations: [{ label: 'x' }], reference_id: 'r' })).to.deep.equal(['annotations[0].index']);
    const { reference_id: _r, ...noRef } = examples['category']!;
    expect(failurePaths(noRef)).to.deep.equal(['reference_id']);
  });

  it('rejects unknown or missing types at `type`', () => {
    expect(failurePaths({ type: 'ellipse', reference_id: 'r' })).to.deep.equal(['type']);
    expect(failurePaths({ label: 'car', reference_id: 'r' })).to.deep.equal(['type']);
    expect(failurePaths('box')).to.deep.equal(['(root)']);
  });
});
