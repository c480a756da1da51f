import { logGamma } from "./logGamma.js";

const EPSILON = Number.EPSILON;
const TINY = Number.MIN_VALUE / EPSILON;
const MAX_ITERATIONS = 1_000_000;

/**
 * The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a), for a > 0 and x >= 0:
 * the chi-square survival function is Q(k/2, x/2) and the normal two-sided tail 2·Φ(-|z|) is
 * Q(1/2, z²/2). Below x = a + 1 the power series of P converges fast and Q = 1 - P is not small
 * there (Q > 0.3), so nothing cancels; above it Legendre's continued fraction (modified Lentz)
 * gives Q itself, keeping full relative precision deep in the tail where drift p-values live.
 */
export function gammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return Number.NaN;
  if (x === 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  const logPrefactor = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) return 1 - lowerSeries(a, x) * Math.exp(logPrefactor);
  return upperFraction(a, x) * Math.exp(logPrefactor);
}

/** Σ x^n / (a (a+1) … (a+n)), so that P(a, x) = this · e^-x x^a / Γ(a). */
function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  let ap = a;
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    ap += 1;
    term *= x / ap;
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
  }
  return sum;
}

/** The continued fraction 1/(x+1-a- 1·(1-a)/(x+3-a- 2·(2-a)/(x+5-a- …))), so that Q(a, x) = this · e^-x x^a / Γ(a). */
function upperFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) <= EPSILON) break;
  }
  return h;
}
