// fast-check arbitraries shared by the property specs: arbitrary JSON and mutations of real payloads.
import fc from 'fast-check';

/** Runs per property: enough to find shape bugs, small enough for a 2-core CI box. */
export const RUNS = Number(process.env['PROPERTY_RUNS'] ?? 300);

/** Keys that have bitten JavaScript decoders before. */
export const NASTY_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'total_steps:', '', ' status'];

/** Numbers and strings at the edges of what `JSON.parse` can produce or a server might send. */
export const nastyScalar: fc.Arbitrary<unknown> = fc.constantFrom(
  null, true, false, 0, -0, -1, 1e308, -1e308, 5e-324, 2 ** 53 + 1, '', ' ', '0', '-1', '1e999', 'NaN', 'Infinity', '0.33', '"', '\u0000', '\ud800', '\u2028', 'a'.repeat(10_000),
);

/** Any JSON value (`JSON.parse` of arbitrary JSON text, so `__proto__` keys are own properties). */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue(),
  fc.json().map((s) => JSON.parse(s) as unknown),
  fc.dictionary(fc.oneof(fc.constantFrom(...NASTY_KEYS), fc.string()), fc.oneof(fc.jsonValue(), nastyScalar), { maxKeys: 8 }).map((d) => JSON.parse(JSON.stringify(d)) as unknown),
  nastyScalar,
);

type Op =
  | { readonly kind: 'delete'; readonly pick: number }
  | { readonly kind: 'set'; readonly pick: number; readonly value: unknown }
  | { readonly kind: 'add'; readonly key: string; readonly value: unknown }
  | { readonly kind: 'stringify'; readonly pick: number }
  | { readonly kind: 'deep'; readonly pick: number; readonly value: unknown }
  | { readonly kind: 'replace'; readonly value: unknown }
  | { readonly kind: 'wrap' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: fc.oneof(fc.jsonValue(), nastyScalar) }),
  fc.record({ kind: fc.constant('add' as const), key: fc.oneof(fc.constantFrom(...NASTY_KEYS), fc.string({ maxLength: 12 })), value: fc.oneof(fc.jsonValue(), nastyScalar) }),
  fc.record({ kind: fc.constant('stringify' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('deep' as const), pick: fc.nat(), value: fc.oneof(fc.jsonValue(), nastyScalar) }),
  fc.record({ kind: fc.constant('replace' as const), value: fc.oneof(fc.jsonValue(), nastyScalar) }),
  fc.constant({ kind: 'wrap' as const }),
);

const setOwn = (o: object, k: string, v: unknown): void => {
  // JSON arrays have index keys only (and a `length` cannot be redefined): other keys are skipped.
  if (Array.isArray(o) && !/^\d+$/.test(k)) return;
  Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
};

function apply(value: unknown, op: Op): unknown {
  if (op.kind === 'replace') return op.value;
  if (op.kind === 'wrap') return [value];
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  const target = value as Record<string, unknown>;
  switch (op.kind) {
    case 'add':
      setOwn(target, op.key, op.value);
      return value;
    default: {
      if (keys.length === 0) return value;
      const k = keys[op.pick % keys.length]!;
      if (op.kind === 'delete') delete target[k];
      else if (op.kind === 'set') setOwn(target, k, op.value);
      else if (op.kind === 'stringify') setOwn(target, k, typeof target[k] === 'string' ? Number(target[k]) : JSON.stringify(target[k]));
      else if (op.kind === 'deep') setOwn(target, k, apply(target[k], { kind: 'set', pick: op.pick, value: op.value }));
      return value;
    }
  }
}

/** A deep copy of one of `payloads` with 1 to 4 random mutations applied. */
export function mutated(payloads: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc.tuple(fc.nat({ max: payloads.length - 1 }), fc.array(opArb, { minLength: 1, maxLength: 4 })).map(([i, ops]) => {
    let v: unknown = JSON.parse(JSON.stringify(payloads[i]));
    for (const op of ops) v = apply(v, op);
    return v;
  });
}
