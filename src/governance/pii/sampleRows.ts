import type { Column } from "../../data/Dataset.js";

/**
 * Rows of up to `size` non-missing values of a column. When there are more, the non-missing values
 * are cut into `size` equal strata and one row is drawn from each with a seeded generator: the
 * sample covers the whole column (sorted or clustered data stays represented), is the same on
 * every run for the same seed, and is in row order.
 */
export function sampleRows(col: Column, size: number, seed: number): Int32Array {
  const present = presentRows(col);
  const k = Math.min(size, present.length);
  if (k === present.length) return present;
  const random = mulberry32(seed ^ hashName(col.name));
  const out = new Int32Array(k);
  const m = present.length;
  for (let j = 0; j < k; j++) {
    const lo = Math.floor((j * m) / k);
    const hi = Math.floor(((j + 1) * m) / k);
    out[j] = present[lo + Math.floor(random() * (hi - lo))];
  }
  return out;
}

/** Rows holding a value, in order; one loop per column type so each stays monomorphic. */
function presentRows(col: Column): Int32Array {
  const rows = col.values.length;
  const out = new Int32Array(rows);
  let n = 0;
  if (col.type === "number") {
    const v = col.values;
    for (let i = 0; i < rows; i++) if (v[i] === v[i]) out[n++] = i;
  } else {
    const v = col.values;
    for (let i = 0; i < rows; i++) if (v[i] !== null && v[i] !== undefined) out[n++] = i;
  }
  return n === rows ? out : out.subarray(0, n);
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
