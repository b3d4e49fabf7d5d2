/**
 * The demo's dataset items and annotations: a few hundred images, boxes on each, and three
 * annotations that name items the dataset does not have (they become job errors).
 */
export const ITEM_COUNT = 400;
export const MISSING_REFERENCE_IDS = ['missing_item_1', 'missing_item_2', 'missing_item_3'] as const;

export function demoItems() {
  return Array.from({ length: ITEM_COUNT }, (_, i) => ({
    image_url: `s3://nucleus-rx-demo/images/img_${i}.jpg`,
    reference_id: `img_${i}`,
    metadata: { camera: i % 2 === 0 ? 'front' : 'rear' },
  }));
}

export function demoAnnotations() {
  const box = (referenceId: string, i: number) => ({
    label: i % 3 === 0 ? 'pedestrian' : 'car',
    type: 'box' as const,
    geometry: { x: 10 + (i % 50), y: 20 + (i % 40), width: 64, height: 48 },
    reference_id: referenceId,
    annotation_id: `box_${referenceId}`,
    metadata: {},
  });
  return [
    ...Array.from({ length: ITEM_COUNT }, (_, i) => box(`img_${i}`, i)),
    ...MISSING_REFERENCE_IDS.map((id, i) => box(id, i)),
  ];
}
