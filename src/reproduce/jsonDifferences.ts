/** The first place two JSON values differ within one top-level part, and how many values there differ. */
export interface JsonDifference {
  /** The part: a top-level key ("preprocessing", "hyperparameters") or a key of a split object ("params.model.trees"). */
  part: string;
  /** A JSON path from the root: `params.model.trees[12].threshold[4]`; `….length` when two arrays differ in length. */
  path: string;
  /** Path segments, for naming what the path is (which tree, which feature). */
  segments: (string | number)[];
  stored: unknown;
  rebuilt: unknown;
  /** Values of this part that differ (leaves, missing keys and length mismatches each count one). */
  count: number;
}

/**
 * Where two parsed JSON documents (objects) differ, one entry per part that differs: its first
 * difference in file order (the stored document's key order, then keys only the rebuilt one has)
 * and the number of differing values. A part is a top-level key, or, for the objects `split`
 * names by path (`params`, `params.model`), each of their keys, so that a changed option and the
 * first changed tree node are both reported. Numbers compare with Object.is, so 0 and -0 differ,
 * as their JSON text does. Each value is visited once: linear in the documents' size.
 *
 * @example
 * ```ts
 * jsonDifferences({ a: [1, 2], b: 1 }, { a: [1, 3], b: 1 }); // [{ part: "a", path: "a[1]", stored: 2, rebuilt: 3, count: 1, … }]
 * ```
 */
export function jsonDifferences(stored: Record<string, unknown>, rebuilt: Record<string, unknown>, split: readonly string[] = []): JsonDifference[] {
  const out: JsonDifference[] = [];
  parts(stored, rebuilt, [], new Set(split), out);
  return out;
}

function parts(stored: Record<string, unknown>, rebuilt: Record<string, unknown>, prefix: string[], split: Set<string>, out: JsonDifference[]): void {
  for (const key of unionKeys(stored, rebuilt)) {
    const segments = [...prefix, key];
    const part = pathText(segments);
    const a = key in stored ? stored[key] : MISSING;
    const b = key in rebuilt ? rebuilt[key] : MISSING;
    if (split.has(part) && isObject(a) && isObject(b)) {
      parts(a, b, segments, split, out);
      continue;
    }
    const found: { first?: Omit<JsonDifference, "part" | "count">; count: number } = { count: 0 };
    walk(a, b, [...segments], found);
    if (found.first) out.push({ part, ...found.first, count: found.count });
  }
}

/** A key one side lacks; shown as undefined. */
const MISSING = Symbol("missing");

// `segments` is one array pushed and popped along the walk, copied only when a difference is noted,
// so a forest of a million nodes is walked without an array per value.
function walk(a: unknown, b: unknown, segments: (string | number)[], found: { first?: Omit<JsonDifference, "part" | "count">; count: number }): void {
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const x = a[i];
      const y = b[i];
      // Numbers are most of a model: compared here, without a call per value.
      if (typeof x === "number" && typeof y === "number") {
        if (!Object.is(x, y)) note(found, [...segments, i], x, y);
        continue;
      }
      segments.push(i);
      walk(x, y, segments, found);
      segments.pop();
    }
    if (a.length !== b.length) note(found, [...segments, "length"], a.length, b.length);
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const key of unionKeys(a, b)) {
      segments.push(key);
      walk(key in a ? a[key] : MISSING, key in b ? b[key] : MISSING, segments, found);
      segments.pop();
    }
    return;
  }
  if (!Object.is(a, b)) note(found, [...segments], a, b);
}

function note(found: { first?: Omit<JsonDifference, "part" | "count">; count: number }, segs: (string | number)[], x: unknown, y: unknown): void {
  found.count++;
  if (!found.first) found.first = { path: pathText(segs), segments: segs, stored: x === MISSING ? undefined : x, rebuilt: y === MISSING ? undefined : y };
}

function unionKeys(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  const keys = Object.keys(a);
  const seen = new Set(keys);
  for (const k of Object.keys(b)) if (!seen.has(k)) keys.push(k);
  return keys;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function pathText(segments: (string | number)[]): string {
  return segments.map((s, i) => (typeof s === "number" ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `${i ? "." : ""}${s}` : `[${JSON.stringify(s)}]`)).join("");
}
