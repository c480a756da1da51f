import type { LeakageStat } from "../TableProfile.js";
import type { EncodedText } from "./profileText.js";

/** A column as the target statistics need it: numbers, or text dictionary-encoded. */
export type EncodedColumn =
  | { name: string; kind: "number"; values: Float64Array; integers: boolean; distinct: number }
  | { name: string; kind: "text"; enc: EncodedText };

/** A number target with at most this many distinct whole values also gets class counts (0/1 labels). */
export const MAX_NUMERIC_CLASSES = 20;

/**
 * Class counts of the target and each feature's association with it, one pass per feature:
 * |Pearson r| between numbers, η² (correlation ratio) between a number and a text side, and for
 * two text sides the purity (share of rows whose target is the commonest among rows with the same
 * feature value) with the commonest class share as its baseline.
 */
export function targetStats(
  target: EncodedColumn,
  features: readonly EncodedColumn[],
): { classCounts?: { value: string; count: number }[]; leakage: LeakageStat[] } {
  const leakage: LeakageStat[] = [];
  for (const f of features) {
    if (f.name === target.name) continue;
    if (f.kind === "number" && target.kind === "number")
      leakage.push({ feature: f.name, measure: "abs_correlation", value: Math.abs(pearson(f.values, target.values)) });
    else if (f.kind === "number" && target.kind === "text")
      leakage.push({ feature: f.name, measure: "correlation_ratio", value: correlationRatio(target.enc, f.values) });
    else if (f.kind === "text" && target.kind === "number")
      leakage.push({ feature: f.name, measure: "correlation_ratio", value: correlationRatio(f.enc, target.values) });
    else if (f.kind === "text" && target.kind === "text") {
      const { purity: value, baseline } = purity(f.enc, target.enc);
      leakage.push({ feature: f.name, measure: "purity", value, baseline });
    }
  }
  return { classCounts: classCounts(target), leakage };
}

function classCounts(target: EncodedColumn): { value: string; count: number }[] | undefined {
  let pairs: [string, number][];
  if (target.kind === "text") {
    pairs = target.enc.dict.map((v, c) => [v, target.enc.counts[c]]);
  } else {
    if (!target.integers || target.distinct > MAX_NUMERIC_CLASSES) return undefined;
    const m = new Map<number, number>();
    for (const v of target.values) if (v === v) m.set(v, (m.get(v) ?? 0) + 1);
    pairs = [...m].sort((a, b) => a[0] - b[0]).map(([v, c]) => [String(v), c]);
  }
  return pairs.sort((a, b) => b[1] - a[1]).map(([value, count]) => ({ value, count }));
}

function pearson(x: Float64Array, y: Float64Array): number {
  let n = 0;
  let kx = 0;
  let ky = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    const b = y[i];
    if (a !== a || b !== b) continue;
    if (n === 0) {
      kx = a;
      ky = b;
    }
    const dx = a - kx;
    const dy = b - ky;
    n++;
    sx += dx;
    sy += dy;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (n < 2) return 0;
  const cov = sxy - (sx * sy) / n;
  const vx = sxx - (sx * sx) / n;
  const vy = syy - (sy * sy) / n;
  return vx > 0 && vy > 0 ? Math.max(-1, Math.min(1, cov / Math.sqrt(vx * vy))) : 0;
}

/** η²: the share of the numbers' variance explained by the groups. */
function correlationRatio(groups: EncodedText, x: Float64Array): number {
  const k = groups.dict.length;
  const sum = new Float64Array(k);
  const cnt = new Float64Array(k);
  let n = 0;
  let shift = 0;
  let s = 0;
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    const g = groups.codes[i];
    const v = x[i];
    if (g < 0 || v !== v) continue;
    if (n === 0) shift = v;
    const d = v - shift;
    n++;
    s += d;
    ss += d * d;
    sum[g] += d;
    cnt[g]++;
  }
  if (n < 2) return 0;
  const total = ss - (s * s) / n;
  if (!(total > 0)) return 0;
  let between = -(s * s) / n;
  for (let g = 0; g < k; g++) if (cnt[g] > 0) between += (sum[g] * sum[g]) / cnt[g];
  return Math.max(0, Math.min(1, between / total));
}

function purity(f: EncodedText, t: EncodedText): { purity: number; baseline: number } {
  const kf = f.dict.length;
  const kt = t.dict.length;
  const best = new Float64Array(kf);
  const classTotals = new Float64Array(kt);
  // The feature × class counts: a dense table while it stays small, else a map of the pairs seen.
  const dense = kf * kt <= 4_000_000 ? new Int32Array(kf * kt) : null;
  const sparse = dense ? null : new Map<number, number>();
  let n = 0;
  for (let i = 0; i < f.codes.length; i++) {
    const a = f.codes[i];
    const b = t.codes[i];
    if (a < 0 || b < 0) continue;
    n++;
    classTotals[b]++;
    const key = a * kt + b;
    let c: number;
    if (dense) c = ++dense[key];
    else {
      c = (sparse!.get(key) ?? 0) + 1;
      sparse!.set(key, c);
    }
    if (c > best[a]) best[a] = c;
  }
  if (n === 0) return { purity: 0, baseline: 0 };
  let hits = 0;
  for (let a = 0; a < kf; a++) hits += best[a];
  let top = 0;
  for (let b = 0; b < kt; b++) if (classTotals[b] > top) top = classTotals[b];
  return { purity: hits / n, baseline: top / n };
}
