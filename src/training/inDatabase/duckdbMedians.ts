import { DwError } from "../../errors/DwError.js";
import type { SqlEngine, SqlValue } from "../../data/sql/sqlEngine.js";

/** Buckets of one histogram pass: the middle bucket of 80M evenly spread values holds ~1,200. */
const MEDIAN_BUCKETS = 65_536;
/**
 * A candidate set this small is fetched and sorted in dw (~20 bytes a value as text) rather than
 * split again: a column of up to this many values is fetched in the first scan; 10M evenly spread
 * values leave ~150 in the middle bucket.
 */
const FETCH_AT_MOST = 100_000;
/** Histogram passes before giving up: each splits a candidate set ~65,536-fold, so a double's range is spent in a few. */
const MAX_PASSES = 64;

/** One numeric feature's training values, as the counts scan measured them. */
export interface MedianColumn {
  /** The feature's column in the scanned relation (f0, f1, …). */
  column: string;
  /** Training values present (not NULL). */
  count: number;
  /** The smallest and largest finite training values; null when none is finite. */
  min: number | null;
  max: number | null;
}

/** How finely to split (the defaults; tests use tiny ones to take every path on small tables). */
export interface MedianSplitting {
  buckets?: number;
  fetchAtMost?: number;
}

/** A rank being searched for: the values sorted before `set`, and the set as SQL conditions. */
interface Target {
  column: string;
  rank: number;
  below: number;
  size: number;
  conds: string[];
  lo: number;
  hi: number;
  /** Fetched whatever its size: not even its own range split it (values a few subnormals apart). */
  whole?: boolean;
  value?: number;
}

/**
 * Each column's median exactly as dw's `median` computes it on the exported values (the middle value
 * of the values sorted as a Float64Array, -0 before 0; the mean of the two middle ones for an even
 * count), in a fixed number of scans of `from` whatever the row count, holding O(buckets) numbers
 * per column: ONE scan counts every column's values in 65,536 buckets of its range (a bucket index
 * monotone in the value, so a bucket's values are contiguous in sorted order; ±∞ have buckets of
 * their own), which locates the bucket holding each middle rank; ONE scan fetches only those buckets'
 * values, sorted in dw. A bucket still larger than 100,000 values (heavy ties, a skewed column) is
 * split by another histogram pass over its own range; a set whose values are all equal is resolved
 * by its MIN (and, at zero, its count of -0s) without fetching. Every query run is appended to `log`.
 *
 * @example
 * ```ts
 * const m = await duckdbMedians(db, "(SELECT …) AS d WHERE y IS NOT NULL", [{ column: "f0", count: 80e6, min: -1, max: 1 }], []);
 * m[0]; // the median of f0
 * ```
 */
export async function duckdbMedians(db: SqlEngine, from: string, columns: MedianColumn[], log: string[], splitting: MedianSplitting = {}): Promise<number[]> {
  const buckets = splitting.buckets ?? MEDIAN_BUCKETS;
  const fetchAtMost = splitting.fetchAtMost ?? FETCH_AT_MOST;
  if (!(Number.isInteger(buckets) && buckets >= 2 && Number.isInteger(fetchAtMost) && fetchAtMost >= 1))
    throw new DwError("INTERNAL", `duckdbMedians: ${buckets} buckets and ${fetchAtMost} values a fetch is not a splitting.`, {
      hint: "Pass at least 2 buckets and 1 value.",
    });
  const targets = columns.map((c) => {
    const base = { column: c.column, below: 0, size: c.count, conds: [] as string[], lo: c.min ?? 0, hi: c.max ?? 0 };
    return [
      { ...base, rank: (c.count - 1) >> 1 },
      { ...base, rank: c.count >> 1 },
    ] as Target[];
  });
  const all = targets.flat();
  for (let pass = 0; ; pass++) {
    const open = all.filter((t) => t.value === undefined && !t.whole && t.size > fetchAtMost);
    if (!open.length) break;
    if (pass === MAX_PASSES)
      throw new DwError("INTERNAL", `The exact medians did not converge in ${MAX_PASSES} histogram passes (${open[0].column}).`, {
        hint: "Report this with the column's values; impute the column in the query meanwhile.",
      });
    await histogramPass(db, from, open, log, buckets);
  }
  const fetch = all.filter((t) => t.value === undefined);
  if (fetch.length) await fetchPass(db, from, fetch, log);
  return targets.map(([lower, upper], j) => (columns[j].count % 2 ? upper.value! : (lower.value! + upper.value!) / 2));
}

/** A set's identity: its column and conditions (two ranks in one set share its aggregates). */
const key = (t: Target) => `${t.column}|${t.conds.join(" AND ")}`;

/** The set's condition, for FILTER: the value present and inside every bucket chosen so far. */
const where = (t: Target) => [`${t.column} IS NOT NULL`, ...t.conds].join(" AND ");

/**
 * The bucket of a value: -1 for -∞, buckets for +∞, else ⌊(x − lo)·c⌋ clamped to [0, buckets − 1],
 * each step monotone under rounding, so the same SQL in two scans puts every value in one bucket
 * and the buckets follow the sort (-0 and 0 share one). Halved first when hi − lo overflows.
 */
function bucketSql(t: Target, buckets: number): string {
  const f = t.column;
  const inf = "CAST('Infinity' AS DOUBLE)";
  let finite = "0";
  if (t.hi > t.lo) {
    const halve = !Number.isFinite(t.hi - t.lo);
    const width = halve ? t.hi * 0.5 - t.lo * 0.5 : t.hi - t.lo;
    const c = Math.min(buckets / width, 1e300);
    const offset = halve ? `(${f} * 0.5 - ${dbl(t.lo * 0.5)})` : `(${f} - ${dbl(t.lo)})`;
    finite = `LEAST(${buckets - 1}, GREATEST(0, FLOOR(${offset} * ${dbl(c)})))`;
  }
  return `CAST(CASE WHEN ${f} = -${inf} THEN -1 WHEN ${f} = ${inf} THEN ${buckets} ELSE ${finite} END AS BIGINT)`;
}

/**
 * One scan: every open set's values paired with a key (the set's index × (buckets + 2) + its
 * bucket + 1; NULL outside the set), unnested to one row a value and grouped by the key, so each
 * non-empty bucket comes back with its count, MIN, MAX and -0s (DuckDB's hash aggregate
 * vectorises this; histogram() with a FILTER a feature ran ~6× slower). A rank's bucket whose
 * values are all equal resolves it; else its own MIN/MAX is the next split's range.
 */
async function histogramPass(db: SqlEngine, from: string, open: Target[], log: string[], buckets: number): Promise<void> {
  const sets = [...groupBy(open).values()];
  const span = buckets + 2;
  const keys = sets.map(([t], i) => `CASE WHEN ${where(t)} THEN ${bucketSql(t, buckets)} + ${i * span + 1} END`);
  const sql = `SELECT k, COUNT(*), MIN(v), MAX(v), COUNT(*) FILTER (WHERE v = 0 AND signbit(v)) FROM (SELECT unnest([${keys.join(", ")}]) AS k, unnest([${sets.map(([t]) => t.column).join(", ")}]) AS v FROM ${from}) AS u WHERE k IS NOT NULL GROUP BY k`;
  log.push(sql);
  const per: { k: number; n: number; lo: number; hi: number; nz: number }[][] = sets.map(() => []);
  for (const r of await db.all(sql)) {
    const k = num(r[0]);
    per[Math.floor(k / span)].push({ k: (k % span) - 1, n: num(r[1]), lo: num(r[2]), hi: num(r[3]), nz: num(r[4]) });
  }
  sets.forEach((group, i) => {
    const bs = per[i].sort((a, b) => a.k - b.k);
    for (const t of group) {
      let below = t.below;
      for (const b of bs) {
        if (t.rank < below + b.n) {
          // All equal (under SQL's -0 = 0): the value, the first `nz` of them -0 if zero.
          if (b.lo === b.hi) t.value = b.lo === 0 ? (t.rank - below < b.nz ? -0 : 0) : b.lo;
          // Not even the set's own range split it (values a few subnormals apart): fetched whole.
          else if (b.n === t.size) t.whole = true;
          else Object.assign(t, { below, size: b.n, conds: [...t.conds, `${bucketSql(t, buckets)} = ${b.k}`], lo: b.lo, hi: b.hi });
          break;
        }
        below += b.n;
      }
    }
  });
}

async function fetchPass(db: SqlEngine, from: string, fetch: Target[], log: string[]): Promise<void> {
  const sets = [...groupBy(fetch).values()];
  const items = sets.map(
    ([t]) => `list(${t.column}) FILTER (WHERE ${where(t)}), COUNT(*) FILTER (WHERE ${where(t)} AND ${t.column} = 0 AND signbit(${t.column}))`,
  );
  const sql = `SELECT ${items.join(", ")} FROM ${from}`;
  log.push(sql);
  const [row] = await db.all(sql);
  sets.forEach((group, i) => {
    // The list arrives as its text (numbers in JavaScript's shortest round-trip form), -0 as 0: the count puts them back first.
    const text = String(row[2 * i] ?? "");
    const values = Float64Array.from(text === "" ? [] : text.split(","), Number);
    values.sort();
    let negativeZeros = num(row[2 * i + 1]);
    for (let k = 0; k < values.length && negativeZeros > 0; k++) {
      if (values[k] === 0) {
        values[k] = -0;
        negativeZeros--;
      }
    }
    for (const t of group) {
      const at = t.rank - t.below;
      if (values.length !== t.size || !(at >= 0 && at < values.length))
        throw new DwError("INTERNAL", `The median bucket of ${t.column} held ${values.length} values where the histogram counted ${t.size}.`, {
          hint: "The source changed between two scans of one fit; train again.",
        });
      t.value = values[at];
    }
  });
}

function groupBy(ts: Target[]): Map<string, Target[]> {
  const m = new Map<string, Target[]>();
  for (const t of ts) m.set(key(t), [...(m.get(key(t)) ?? []), t]);
  return m;
}

/** A double as SQL, exactly (the shortest text that reads back as it). */
const dbl = (x: number) => `CAST('${String(x)}' AS DOUBLE)`;

function num(v: SqlValue | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === "number" ? v : Number(v);
}
