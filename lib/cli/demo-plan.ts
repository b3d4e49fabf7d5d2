/**
 * The demo's data: a few thousand dataset items and one box annotation per item, plus a handful of
 * annotations that name items which do not exist (the emulator reports each as a job error, as the
 * real service does). Deterministic, so that the demo tells the same story every time.
 */

// Wire format (snake_case), as the client's DatasetItem and Annotation codecs take them.
export interface DemoItem {
  readonly reference_id: string;
  readonly image_url: string;
  readonly metadata: { readonly index: number; readonly camera: string };
}

export interface DemoAnnotation {
  readonly reference_id: string;
  readonly annotation_id: string;
  readonly label: string;
  readonly type: 'box';
  readonly geometry: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
}

export interface DemoPlan {
  readonly items: readonly DemoItem[];
  readonly annotations: readonly DemoAnnotation[];
  /** The reference ids of the annotations that name missing items, in upload order. */
  readonly badReferenceIds: readonly string[];
}

const LABELS = ['car', 'pedestrian', 'cyclist', 'truck', 'traffic light'];

/**
 * The items and annotations for `items` images with `bad` annotations naming missing items, spread
 * evenly through the upload.
 *
 * @example
 * demoPlan(3, 1).badReferenceIds // ['missing_001']
 */
export function demoPlan(itemCount: number, badCount: number): DemoPlan {
  const width = String(itemCount).length;
  const items = Array.from({ length: itemCount }, (_, i): DemoItem => {
    const n = String(i + 1).padStart(Math.max(4, width), '0');
    return { reference_id: `img_${n}`, image_url: `s3://nucleus-rx-demo/frames/${n}.jpg`, metadata: { index: i, camera: i % 2 ? 'left' : 'right' } };
  });
  const box = (i: number) => ({ x: 10 + (i % 50) * 7, y: 20 + (i % 30) * 5, width: 40 + (i % 9) * 4, height: 30 + (i % 7) * 5 });
  const annotations: DemoAnnotation[] = items.map((item, i) => ({
    reference_id: item.reference_id,
    annotation_id: `ann_${item.reference_id}`,
    label: LABELS[i % LABELS.length] ?? 'car',
    type: 'box',
    geometry: box(i),
  }));
  const badReferenceIds: string[] = [];
  for (let b = 0; b < badCount; b++) {
    const ref = `missing_${String(b + 1).padStart(3, '0')}`;
    badReferenceIds.push(ref);
    const at = Math.floor(((b + 1) * itemCount) / (badCount + 1)) + b;
    annotations.splice(at, 0, { reference_id: ref, annotation_id: `ann_${ref}`, label: 'car', type: 'box', geometry: box(b) });
  }
  return { items, annotations, badReferenceIds };
}

/** What the annotate job reported compared with what the demo planted. */
export interface DemoCheck {
  /** Planted bad reference ids that the job reported. */
  readonly reported: readonly string[];
  /** Planted bad reference ids that the job did not report. */
  readonly unreported: readonly string[];
  /** Reference ids the job reported although the demo did not plant them. */
  readonly unexpected: readonly string[];
  /** Error lines that named no reference id at all. */
  readonly unattributed: number;
  /** Everything matched: each planted id reported, nothing else. */
  readonly asDesigned: boolean;
}

/**
 * Compares the reference ids named by the job's errors with the planted ones.
 *
 * @example
 * checkDemo(['missing_001'], ['missing_001']).asDesigned // true
 */
export function checkDemo(planted: readonly string[], reported: readonly (string | undefined)[]): DemoCheck {
  const seen = new Set(reported.filter((r): r is string => r !== undefined));
  const plantedSet = new Set(planted);
  const result = {
    reported: planted.filter((r) => seen.has(r)),
    unreported: planted.filter((r) => !seen.has(r)),
    unexpected: [...seen].filter((r) => !plantedSet.has(r)),
    unattributed: reported.filter((r) => r === undefined).length,
  };
  return { ...result, asDesigned: result.unreported.length === 0 && result.unexpected.length === 0 && result.unattributed === 0 };
}
