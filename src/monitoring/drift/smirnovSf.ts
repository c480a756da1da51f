/** log(smallest normal double): e^x of anything below it underflows (cephes MINLOG). */
const MIN_LOG = -708.3964185322641;
/** Past this n cephes uses an approximation instead of the sum. */
const MAX_COMPUTE_N = 1_000_000;

/**
 * The one-sided Smirnov survival function P(D+_n >= x) (cephes `smirnov`, which scipy's `kstwo.sf`
 * doubles for large deviations): the Birnbaum–Tingey sum
 * x Σ_{v=0}^{⌊n(1-x)⌋} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v), every term positive, each
 * computed in logs and the sum stopped once the rest cannot change it; cephes' special cases for
 * x <= 1/n, x >= 1 - 1/n, an underflowing tail and n over a million.
 */
export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;
  const nx = n * x;
  const nxFloor = Math.floor(nx);
  const alpha = nx - nxFloor;
  if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) return clip01(1 - x * (1 + x) ** (n - 1));
  if (-2 * n * x * x < MIN_LOG) return 0;
  if (nxFloor >= n - 1) return clip01((1 - x) ** n);
  if (n > MAX_COMPUTE_N) {
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return clip01(logp < -Math.LN2 ? Math.exp(logp) : 1 + Math.expm1(logp));
  }
  // Terms v with 1 - x - v/n > 0.
  const last = n - nxFloor - 1;
  let sum = (1 - x) ** n;
  let logC = 0;
  const mid = n / 2;
  for (let v = 1; v <= last; v++) {
    logC += Math.log((n - v + 1) / v);
    const logTerm = logC + Math.log(x) + (v - 1) * Math.log(x + v / n) + (n - v) * Math.log1p(-x - v / n);
    const term = Math.exp(logTerm);
    sum += term;
    if (term !== 0 ? 4 * (last - v + 1) * term < Number.EPSILON * sum && v !== last : v > mid) break;
  }
  return clip01(sum);
}

function clip01(p: number): number {
  return Math.min(1, Math.max(0, p));
}
