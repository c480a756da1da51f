import { sortInPlace } from "../../data/statistics.js";

/**
 * A sorted copy of `values` without NaN and ±Infinity (Evidently drops them with the nulls); the
 * input is left alone. The finite values are sorted by the statistics' one sort of numbers
 * (sortInPlace: a radix sort on the IEEE-754 bits from 32,768 values), so the drift check and
 * the reference a training stores order them alike; -0 sorts before +0, as the built-in sort puts
 * it, and they compare equal after.
 */
export function sortedFinite(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) n++;
  const out = new Float64Array(n);
  if (n === values.length) out.set(values);
  else {
    let k = 0;
    for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) out[k++] = values[i];
  }
  return sortInPlace(out);
}
