/**
 * Both sides of a column counted per distinct value, over the union of the values either side has:
 * how the chi-square, z, Jensen–Shannon and PSI methods see a categorical column, or a numeric one
 * with few distinct values. `keys` are ascending (numbers by value, strings by code point, as
 * Python sorts them), so the z-test's "first key" is Evidently's `sorted(keys)[0]`.
 */
export interface CategoryCounts {
  keys: (string | number)[];
  reference: Float64Array;
  current: Float64Array;
  referenceTotal: number;
  currentTotal: number;
}

/** Python's string order: by code point (JavaScript's `<` compares UTF-16 units, which differs past U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Counts two sorted number samples per distinct value (one merge pass; equal values are adjacent). */
export function countSortedNumbers(reference: Float64Array, current: Float64Array): CategoryCounts {
  const keys: number[] = [];
  const ref: number[] = [];
  const cur: number[] = [];
  let i = 0;
  let j = 0;
  while (i < reference.length || j < current.length) {
    const v = j >= current.length || (i < reference.length && reference[i] <= current[j]) ? reference[i] : current[j];
    let r = 0;
    let c = 0;
    while (i < reference.length && reference[i] === v) {
      i++;
      r++;
    }
    while (j < current.length && current[j] === v) {
      j++;
      c++;
    }
    keys.push(v);
    ref.push(r);
    cur.push(c);
  }
  return { keys, reference: Float64Array.from(ref), current: Float64Array.from(cur), referenceTotal: reference.length, currentTotal: current.length };
}

/** Counts two category maps over the union of their categories with a positive count. */
export function countCategoryMaps(reference: Map<string, number>, current: Map<string, number>): CategoryCounts {
  const union = new Set<string>();
  for (const [k, n] of reference) if (n > 0) union.add(k);
  for (const [k, n] of current) if (n > 0) union.add(k);
  const keys = [...union].sort(compareCodePoints);
  const ref = new Float64Array(keys.length);
  const cur = new Float64Array(keys.length);
  let referenceTotal = 0;
  let currentTotal = 0;
  keys.forEach((k, i) => {
    ref[i] = Math.max(0, reference.get(k) ?? 0);
    cur[i] = Math.max(0, current.get(k) ?? 0);
    referenceTotal += ref[i];
    currentTotal += cur[i];
  });
  return { keys, reference: ref, current: cur, referenceTotal, currentTotal };
}
