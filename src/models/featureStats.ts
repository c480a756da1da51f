import type { FeatureStats } from "./ModelJson.js";

/** Count, mean, std, range and quantiles of a numeric column (NaN = missing): the reference drift is measured against. */
export function featureStats(values: Float64Array): FeatureStats {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) n++;
  const present = new Float64Array(n);
  for (let i = 0, k = 0; i < values.length; i++) if (values[i] === values[i]) present[k++] = values[i];
  // The typed array's own numeric sort: 3-5x faster than sorting a number[] with a comparator.
  present.sort();
  let mean = 0;
  for (const v of present) mean += v;
  mean = n ? mean / n : NaN;
  let ss = 0;
  for (const v of present) ss += (v - mean) ** 2;
  // Linear interpolation between order statistics, numpy's default quantile method.
  const q = (f: number) => {
    if (!n) return NaN;
    const h = (n - 1) * f;
    const lo = Math.floor(h);
    return present[lo] + (h - lo) * (present[Math.min(lo + 1, n - 1)] - present[lo]);
  };
  return {
    count: n,
    nulls: values.length - n,
    mean,
    std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0,
    min: n ? present[0] : NaN,
    max: n ? present[n - 1] : NaN,
    quantiles: { p05: q(0.05), p25: q(0.25), p50: q(0.5), p75: q(0.75), p95: q(0.95) },
  };
}
