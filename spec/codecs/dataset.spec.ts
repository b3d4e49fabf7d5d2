import { expect } from 'chai';
import * as E from 'fp-ts/lib/Either.js';
import { DatasetCreated, SignedUrl } from '../../lib/codecs/dataset.js';
import { JobErrorLines } from '../../lib/codecs/job.js';

describe('dataset answer codecs', () => {
  it('decodes the dataset/create answer', () => {
    expect(DatasetCreated.decode({ dataset_id: 'ds_1', name: 'cars' })).to.deep.equal(E.right({ dataset_id: 'ds_1', name: 'cars' }));
    expect(E.isLeft(DatasetCreated.decode({ id: 'ds_1' }))).to.equal(true);
  });
  it('decodes the signedUrl answer', () => {
    expect(SignedUrl.decode({ signed_url: 'https://b/x' })).to.deep.equal(E.right({ signed_url: 'https://b/x' }));
    expect(E.isLeft(SignedUrl.decode({ signed_url: null }))).to.equal(true);
  });
  it('decodes job error lines as strings only', () => {
    const line = '{"annotation":{"referenceId":"bad_ref_id"},"error":"Item with id bad_ref_id doesn\'t exist."}';
    expect(JobErrorLines.decode([line])).to.deep.equal(E.right([line]));
    expect(E.isLeft(JobErrorLines.decode([{ error: 'x' }]))).to.equal(true);
    expect(E.isLeft(JobErrorLines.decode('x'))).to.equal(true);
  });
});
