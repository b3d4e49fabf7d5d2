import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { DatasetItem } from '../../lib/codecs/dataset-item.js';
import { errorPaths } from '../../lib/http/decode.js';

const failurePaths = (u: unknown) => {
  const r = DatasetItem.decode(u);
  return E.isLeft(r) ? errorPaths(r.left) : [];
};

describe('DatasetItem codec', () => {
  it('decodes the protocol line', () => {
    const line = { image_url: 's3://b/img_1.jpg', reference_id: 'img_1', metadata: { camera: 'front' }, width: 640, height: 480 };
    expect(DatasetItem.decode(line)).to.deep.equal(E.right(line));
  });
  it('accepts ref_id for reference_id and yields reference_id only', () => {
    expect(DatasetItem.decode({ ref_id: 'img_1', image_url: 's3://b/1.jpg' })).to.deep.equal(E.right({ reference_id: 'img_1', image_url: 's3://b/1.jpg' }));
    expect(E.isRight(DatasetItem.decode({ ref_id: 'a', reference_id: 'a', image_url: 'x' }))).to.equal(true);
    expect(failurePaths({ ref_id: 'a', reference_id: 'b', image_url: 'x' })).to.deep.equal(['ref_id']);
  });
  it('keeps fields it does not know', () => {
    expect(DatasetItem.decode({ reference_id: 'a', image_url: 'x', upload_to_scale: false })).to.deep.equal(
      E.right({ reference_id: 'a', image_url: 'x', upload_to_scale: false }),
    );
  });
  it('reports malformed items at their paths', () => {
    expect(failurePaths({ image_url: 'x' })).to.deep.equal(['reference_id']);
    expect(failurePaths({ reference_id: 1, image_url: 'x', width: '640', metadata: [] })).to.deep.equal(['reference_id', 'metadata', 'width']);
    expect(failurePaths(null)).to.deep.equal(['(root)']);
  });
});
