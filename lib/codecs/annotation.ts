/**
 * Annotations: one NDJSON line of an asynchronous `annotate`, one codec per type of the protocol:
 * box, line, polygon, category, multicategory, cuboid, segmentation, keypoints. Each accepts
 * `ref_id` for `reference_id`; fields unknown here are kept and sent as they are.
 *
 * {@link Annotation} dispatches on `type` (a segmentation may omit it: it is recognised by its
 * `mask_url`), so a malformed annotation is reported at the paths of its own type.
 */
import * as t from './io-ts.js';
import { isPlainObject } from '../plain-object.js';
import { tolerateRefId } from './reference-id.js';

// ---------------------------------------------------------------------------------------------
// geometry
// ---------------------------------------------------------------------------------------------

export const Point = /*#__PURE__*/ t.type({ x: t.number, y: t.number });
export type Point = t.TypeOf<typeof Point>;

export const Point3D = /*#__PURE__*/ t.type({ x: t.number, y: t.number, z: t.number });
export type Point3D = t.TypeOf<typeof Point3D>;

/** Fields every annotation may carry. */
const Optional = {
  annotation_id: t.string,
  metadata: t.UnknownRecord,
};

/** The codec `${name}Annotation` of the annotations of type `name`, lowercased (`Box`: `box`). */
function annotation<N extends string, P extends t.Props, O extends t.Props>(name: N, props: P, optional: O) {
  return tolerateRefId(
    t.intersection([
      t.type({ type: t.literal(name.toLowerCase() as Lowercase<N>), reference_id: t.string, ...props }),
      t.partial({ ...Optional, ...optional }),
    ]),
    `${name}Annotation`,
  );
}

// ---------------------------------------------------------------------------------------------
// one codec per type
// ---------------------------------------------------------------------------------------------

/** `{ type: 'box', label, geometry: { x, y, width, height }, reference_id, annotation_id?, metadata? }` */
export const BoxAnnotation = /*#__PURE__*/ annotation(
  'Box',
  { label: t.string, geometry: /*#__PURE__*/ t.type({ x: t.number, y: t.number, width: t.number, height: t.number }) },
  { embedding_vector: /*#__PURE__*/ t.array(t.number), track_reference_id: t.string },
);
export type BoxAnnotation = t.TypeOf<typeof BoxAnnotation>;

/** `{ type: 'line', label, geometry: { vertices: [{ x, y }, ...] }, reference_id, ... }` */
export const LineAnnotation = /*#__PURE__*/ annotation('Line', { label: t.string, geometry: /*#__PURE__*/ t.type({ vertices: /*#__PURE__*/ t.array(Point) }) }, { track_reference_id: t.string });
export type LineAnnotation = t.TypeOf<typeof LineAnnotation>;

/** `{ type: 'polygon', label, geometry: { vertices: [{ x, y }, ...] }, reference_id, ... }` */
export const PolygonAnnotation = /*#__PURE__*/ annotation(
  'Polygon',
  { label: t.string, geometry: /*#__PURE__*/ t.type({ vertices: /*#__PURE__*/ t.array(Point) }) },
  { embedding_vector: /*#__PURE__*/ t.array(t.number), track_reference_id: t.string },
);
export type PolygonAnnotation = t.TypeOf<typeof PolygonAnnotation>;

/** `{ type: 'category', label, geometry: {}, reference_id, taxonomy_name?, ... }` */
export const CategoryAnnotation = /*#__PURE__*/ annotation('Category', { label: t.string }, { geometry: t.UnknownRecord, taxonomy_name: t.string, track_reference_id: t.string });
export type CategoryAnnotation = t.TypeOf<typeof CategoryAnnotation>;

/** `{ type: 'multicategory', labels: [...], geometry: {}, reference_id, taxonomy_name?, ... }` */
export const MultiCategoryAnnotation = /*#__PURE__*/ annotation('MultiCategory', { labels: /*#__PURE__*/ t.array(t.string) }, { geometry: t.UnknownRecord, taxonomy_name: t.string, track_reference_id: t.string });
export type MultiCategoryAnnotation = t.TypeOf<typeof MultiCategoryAnnotation>;

/** `{ type: 'cuboid', label, geometry: { position: {x,y,z}, dimensions: {x,y,z}, yaw }, reference_id, ... }` */
export const CuboidAnnotation = /*#__PURE__*/ annotation(
  'Cuboid',
  { label: t.string, geometry: /*#__PURE__*/ t.type({ position: Point3D, dimensions: Point3D, yaw: t.number }) },
  { track_reference_id: t.string },
);
export type CuboidAnnotation = t.TypeOf<typeof CuboidAnnotation>;

export const Keypoint = /*#__PURE__*/ t.intersection([/*#__PURE__*/ t.type({ x: t.number, y: t.number }), /*#__PURE__*/ t.partial({ visible: t.boolean })]);
export type Keypoint = t.TypeOf<typeof Keypoint>;

/** `{ type: 'keypoints', label, geometry: { keypoints: [{x,y,visible}], names: [...], skeleton: [[i,j]] }, reference_id, ... }` */
export const KeypointsAnnotation = /*#__PURE__*/ annotation(
  'Keypoints',
  {
    label: t.string,
    geometry: /*#__PURE__*/ t.type({ keypoints: /*#__PURE__*/ t.array(Keypoint), names: /*#__PURE__*/ t.array(t.string), skeleton: /*#__PURE__*/ t.array(/*#__PURE__*/ t.tuple([t.number, t.number])) }),
  },
  { track_reference_id: t.string },
);
export type KeypointsAnnotation = t.TypeOf<typeof KeypointsAnnotation>;

export const Segment = /*#__PURE__*/ t.intersection([/*#__PURE__*/ t.type({ label: t.string, index: t.number }), /*#__PURE__*/ t.partial({ metadata: t.UnknownRecord })]);
export type Segment = t.TypeOf<typeof Segment>;

/** `{ type?: 'segmentation', mask_url, annotations: [{ label, index }], reference_id, annotation_id?, ... }` */
export const SegmentationAnnotation = /*#__PURE__*/ tolerateRefId(
  /*#__PURE__*/ t.intersection([
    /*#__PURE__*/ t.type({ mask_url: t.string, annotations: /*#__PURE__*/ t.array(Segment), reference_id: t.string }),
    // Optional's fields spelled out: a spread would keep this codec from being tree-shaken.
    /*#__PURE__*/ t.partial({ type: /*#__PURE__*/ t.literal('segmentation'), annotation_id: t.string, metadata: t.UnknownRecord }),
  ]),
  'SegmentationAnnotation',
);
export type SegmentationAnnotation = t.TypeOf<typeof SegmentationAnnotation>;

// ---------------------------------------------------------------------------------------------
// any annotation
// ---------------------------------------------------------------------------------------------

const BY_TYPE = {
  box: BoxAnnotation,
  line: LineAnnotation,
  polygon: PolygonAnnotation,
  category: CategoryAnnotation,
  multicategory: MultiCategoryAnnotation,
  cuboid: CuboidAnnotation,
  keypoints: KeypointsAnnotation,
  segmentation: SegmentationAnnotation,
} as const;

/** The annotation types this client knows. */
export type AnnotationType = keyof typeof BY_TYPE;
export const ANNOTATION_TYPES = /*#__PURE__*/ Object.keys(BY_TYPE) as readonly AnnotationType[];

const AnnotationUnion = /*#__PURE__*/ t.union([
  BoxAnnotation,
  LineAnnotation,
  PolygonAnnotation,
  CategoryAnnotation,
  MultiCategoryAnnotation,
  CuboidAnnotation,
  KeypointsAnnotation,
  SegmentationAnnotation,
]);

/**
 * Any annotation, dispatched on `type`.
 *
 * @example
 * ```ts
 * const a: Annotation = { type: 'box', label: 'car', reference_id: 'img_1', annotation_id: 'a1', geometry: { x: 50, y: 60, width: 70, height: 80 } };
 * ```
 */
export const Annotation = /*#__PURE__*/ new t.Type<t.TypeOf<typeof AnnotationUnion>, t.OutputOf<typeof AnnotationUnion>, unknown>(
  'Annotation',
  (u): u is t.TypeOf<typeof AnnotationUnion> => AnnotationUnion.is(u),
  (u, c) => {
    if (!isPlainObject(u)) return t.failure(u, c, 'expected an annotation object');
    const type = (u as { type?: unknown }).type;
    if (type === undefined && 'mask_url' in u) return SegmentationAnnotation.validate(u, c);
    if (typeof type === 'string' && Object.hasOwn(BY_TYPE, type)) {
      return BY_TYPE[type as AnnotationType].validate(u, c);
    }
    return t.failure(type, t.appendContext(c, 'type', /*#__PURE__*/ t.keyof(BY_TYPE), type), 'unknown annotation type');
  },
  (a) => AnnotationUnion.encode(a),
);
export type Annotation = t.TypeOf<typeof Annotation>;
