// Property tests: the job decoders, given arbitrary JSON and mutated real payloads, answer a value or
// a typed failure and never throw; a decoded value always keeps the codec's promises.
import { expect } from 'chai';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { JobErrorLines, JobInfo, JobInfoList, JobStatus } from '../../lib/codecs/job.js';
import { Numeric } from '../../lib/codecs/numeric.js';
import { Annotation } from '../../lib/codecs/annotation.js';
import { DatasetCreated, SignedUrl } from '../../lib/codecs/dataset.js';
import { DatasetItem } from '../../lib/codecs/dataset-item.js';
import { isDecodeError } from '../../lib/errors.js';
import { decodeOrThrow, parseJsonOrThrow } from '../../lib/http/decode.js';
import { anyJson, mutated, RUNS } from './support/arbitraries.js';

const REAL_STATUS = [
  { job_id: 'job_c19xcf9mkws46gah0000', status: 'Running', message: '...', job_progress: '0.33', completed_steps: '1', total_steps: '3' },
  { job_id: 'job_1', status: 'Completed', message: { result: ['s3://a', 's3://b'] }, job_progress: '1', completed_steps: '3', 'total_steps:': '3' },
  { job_id: 'job_2', status: 'Errored_Partial', message: 'Job completed with errors', job_progress: 0.5, completed_steps: 1, total_steps: 2 },
  { status: 'Queued', message: null, job_progress: '', completed_steps: null },
];
const REAL_INFO = [
  { job_id: 'job_c19xcf9mkws46gah0000', job_last_known_status: 'Running', job_type: 'uploadDatasetItems', job_creation_time: '2026-11-28T10:00:00Z' },
  { job_id: 'job_x', job_last_known_status: 'Errored_User', job_type: 'uploadAnnotations', job_creation_time: '2026-11-28T10:00:00Z' },
];
const REAL_ERRORS = [
  '{"annotation":{"label":"car","type":"box","geometry":{"x":50,"y":60,"width":70,"height":80},"referenceId":"bad_ref_id","annotationId":"attempted_annot_upload","metadata":{}},"error":"Item with id bad_ref_id doesn\'t exist."}',
  '{"line":3,"error":"Line 3 is not valid JSON."}',
];

/** Decodes without ever letting an exception escape the property (a throw fails it with the input). */
function decodes<A>(codec: t.Decoder<unknown, A>, u: unknown): E.Either<t.Errors, A> {
  const r = codec.decode(u);
  expect(E.isLeft(r) || E.isRight(r)).to.equal(true);
  if (E.isLeft(r)) expect(r.left.length, 'a failure names at least one problem').to.be.greaterThan(0);
  return r;
}

const finiteOrUndefined = (n: unknown): boolean => n === undefined || (typeof n === 'number' && Number.isFinite(n));

function checkStatus(r: E.Either<t.Errors, JobStatus>): void {
  if (E.isRight(r)) {
    const s = r.right;
    expect(s.status).to.be.a('string');
    expect(s.jobId === undefined || typeof s.jobId === 'string').to.equal(true);
    expect(finiteOrUndefined(s.progress) && finiteOrUndefined(s.completedSteps) && finiteOrUndefined(s.totalSteps)).to.equal(true);
    expect(s.message === undefined || typeof s.message === 'string' || (typeof s.message === 'object' && s.message !== null)).to.equal(true);
  }
}

function checkInfo(r: E.Either<t.Errors, JobInfo>): void {
  if (E.isRight(r)) {
    for (const k of ['jobId', 'lastKnownStatus', 'jobType', 'createdAt'] as const) expect(r.right[k]).to.be.a('string');
  }
}

describe('reliability: decoders never throw (property)', () => {
  it('JobStatus: arbitrary JSON decodes or fails with errors', () => {
    fc.assert(fc.property(anyJson, (u) => checkStatus(decodes(JobStatus, u))), { numRuns: RUNS });
  });

  it('JobStatus: mutated real payloads decode or fail; the untouched ones decode', () => {
    for (const p of REAL_STATUS) expect(E.isRight(JobStatus.decode(p)), JSON.stringify(p)).to.equal(true);
    fc.assert(fc.property(mutated(REAL_STATUS), (u) => checkStatus(decodes(JobStatus, u))), { numRuns: RUNS });
  });

  it('JobStatus: non-JSON JavaScript values (functions, symbols, cycles, maps, boxed values) do not throw either', () => {
    const cyclic: Record<string, unknown> = { status: 'Running' };
    cyclic['message'] = cyclic;
    fc.assert(fc.property(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withSparseArray: true, withBoxedValues: true }), (u) => checkStatus(decodes(JobStatus, u))), { numRuns: RUNS });
    checkStatus(decodes(JobStatus, cyclic));
    checkStatus(decodes(JobStatus, Symbol('x')));
    checkStatus(decodes(JobStatus, () => 1));
  });

  it('JobInfo and JobInfoList: arbitrary and mutated payloads decode or fail', () => {
    for (const p of REAL_INFO) expect(E.isRight(JobInfo.decode(p))).to.equal(true);
    fc.assert(fc.property(fc.oneof(anyJson, mutated(REAL_INFO)), (u) => checkInfo(decodes(JobInfo, u))), { numRuns: RUNS });
    fc.assert(
      fc.property(fc.oneof(anyJson, fc.array(fc.oneof(mutated(REAL_INFO), fc.constantFrom(...REAL_INFO)), { maxLength: 8 })), (u) => {
        const r = decodes(JobInfoList, u);
        if (E.isRight(r)) r.right.forEach((i) => checkInfo(E.right(i)));
      }),
      { numRuns: RUNS },
    );
  });

  it('JobErrorLines: arbitrary and mutated payloads decode or fail', () => {
    fc.assert(
      fc.property(fc.oneof(anyJson, mutated([REAL_ERRORS])), (u) => {
        const r = decodes(JobErrorLines, u);
        if (E.isRight(r)) r.right.forEach((l) => expect(l).to.be.a('string'));
      }),
      { numRuns: RUNS },
    );
  });

  it('Numeric: any value gives a finite number, undefined, or a failure', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.double(), fc.string(), fc.double().map(String), fc.constantFrom('1e999', '-1e999', 'NaN', 'Infinity', ' 1 ', '0x10', '1_000', '.5', '5.', '+3')), (u) => {
        const r = decodes(Numeric, u);
        if (E.isRight(r)) expect(finiteOrUndefined(r.right)).to.equal(true);
      }),
      { numRuns: RUNS },
    );
  });
});

const REAL_ITEMS = [
  { image_url: 's3://bucket/img_1.jpg', reference_id: 'img_1', metadata: { camera: 'front' }, width: 640, height: 480 },
  { image_url: 'https://x.test/a.png', ref_id: 'img_2' },
];
const REAL_ANNOTATIONS = [
  { label: 'car', type: 'box', geometry: { x: 50, y: 60, width: 70, height: 80 }, reference_id: 'img_1', annotation_id: 'a1', metadata: {} },
  { label: 'road', type: 'polygon', geometry: { vertices: [{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 1, y: 1 }] }, reference_id: 'img_1' },
  { label: 'lane', type: 'line', geometry: { vertices: [{ x: 0, y: 0 }, { x: 5, y: 5 }] }, reference_id: 'img_1' },
  { label: 'weather', type: 'category', geometry: {}, reference_id: 'img_1' },
  { labels: ['a', 'b'], type: 'multicategory', geometry: {}, reference_id: 'img_1' },
  { label: 'truck', type: 'cuboid', geometry: { position: { x: 0, y: 0, z: 0 }, dimensions: { x: 1, y: 2, z: 3 }, yaw: 0.5 }, reference_id: 'img_1' },
  { type: 'segmentation', mask_url: 's3://b/m.png', annotations: [{ label: 'sky', index: 0 }], reference_id: 'img_1' },
  { label: 'person', type: 'keypoints', geometry: { keypoints: [{ x: 1, y: 2, visible: true }], names: ['nose'], skeleton: [] }, reference_id: 'img_1' },
];

// Every codec the library decodes answers or input with, with real payloads to mutate.
const CODECS: readonly { name: string; codec: t.Decoder<unknown, unknown>; real: readonly unknown[] }[] = [
  { name: 'JobStatus', codec: JobStatus, real: REAL_STATUS },
  { name: 'JobInfo', codec: JobInfo, real: REAL_INFO },
  { name: 'JobInfoList', codec: JobInfoList, real: [REAL_INFO] },
  { name: 'JobErrorLines', codec: JobErrorLines, real: [REAL_ERRORS] },
  { name: 'DatasetCreated', codec: DatasetCreated, real: [{ dataset_id: 'ds_1', name: 'x' }] },
  { name: 'SignedUrl', codec: SignedUrl, real: [{ signed_url: 'https://bucket.test/up?sig=abc' }] },
  { name: 'DatasetItem', codec: DatasetItem, real: REAL_ITEMS },
  { name: 'Annotation', codec: Annotation, real: REAL_ANNOTATIONS },
];

const MARKER = 'SENTINEL-VALUE-7f3a';

/** Replaces some string values (never keys) by the marker, so a message quoting a value would show it. */
function withMarker(u: unknown, pick: number): unknown {
  if (typeof u === 'string') return pick % 2 === 0 ? MARKER : u;
  if (Array.isArray(u)) return u.map((x, i) => withMarker(x, pick + i));
  if (typeof u === 'object' && u !== null) {
    const out: Record<string, unknown> = {};
    Object.keys(u).forEach((k, i) => Object.defineProperty(out, k, { value: withMarker((u as Record<string, unknown>)[k], pick + i), enumerable: true, writable: true, configurable: true }));
    return out;
  }
  return u;
}

describe('reliability: the decode helper gives a value or a DecodeError, never anything else (property)', () => {
  for (const { name, codec, real } of CODECS) {
    it(`${name}: real payloads decode; arbitrary and mutated ones give a value or a DecodeError naming the route, never a raw value`, () => {
      for (const p of real) expect(() => decodeOrThrow(codec, p, 'route/x'), `${name} ${JSON.stringify(p)}`).not.to.throw();
      fc.assert(
        fc.property(fc.oneof(anyJson, mutated(real)), fc.nat(), (u, pick) => {
          const marked = withMarker(u, pick);
          try {
            decodeOrThrow(codec, marked, `route/${name}`);
          } catch (e) {
            expect(isDecodeError(e), String(e)).to.equal(true);
            const err = e as Error & { route: string; paths: readonly string[] };
            expect(err.route).to.equal(`route/${name}`);
            expect(err.paths.length).to.be.greaterThan(0);
            expect(err.message).to.contain(`route/${name}`);
            expect(err.message).not.to.contain(MARKER);
            expect(JSON.stringify(err)).not.to.contain(MARKER);
          }
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('parseJsonOrThrow: any text parses or gives a DecodeError that does not repeat the body', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.json().map((j) => j.slice(0, Math.floor(j.length / 2)) + MARKER), fc.constant(`<html>${MARKER}</html>`)), (text) => {
        try {
          parseJsonOrThrow(text, 'job/j1');
        } catch (e) {
          expect(isDecodeError(e)).to.equal(true);
          expect((e as Error).message).not.to.contain(MARKER);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
