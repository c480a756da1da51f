import type { Column } from "../../data/Dataset.js";

/**
 * Rows of up to `size` non-missing values of a column. When there are more, the non-missing values
 * are cut into `size` equal strata and one row is drawn from each with a seeded generator: the
 * sample covers the whole column (sorted or clustered data stays represented), is the same on
 * every run for the same seed, and is in row order.
 */
export function sampleRows(col: Column, size: number, seed: number): Int32Array {
  const rows = col.values.length;
  const missing = col.type === "number" ? (i: number) => Number.isNaN(col.values[i]) : (i: number) => col.values[i] === null;
  let present = 0;
  for (let i = 0; i < rows; i++) if (!missing(i)) present++;
  const k = Math.min(size, present);
  const out = new Int32Array(k);
  if (k === present) {
    let j = 0;
    for (let i = 0; i < rows; i++) if (!missing(i)) out[j++] = i;
    return out;
  }
  const random = mulberry32(seed ^ hashName(col.name));
  for (let j = 0; j < k; j++) {
    const lo = Math.floor((j * present) / k);
    const hi = Math.floor(((j + 1) * present) / k);
    out[j] = lo + Math.floor(random() * (hi - lo));
  }
  if (present === rows) return out;
  // The draws are ordinals among the non-missing values; walk the column once to turn them into rows.
  let ordinal = -1;
  let j = 0;
  for (let i = 0; i < rows && j < k; i++) {
    if (missing(i)) continue;
    ordinal++;
    while (j < k && out[j] === ordinal) out[j++] = i;
  }
  return out;
}

function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A small, fast 32-bit generator: enough for sampling, and the same sequence everywhere. */
function mulberry32(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}
