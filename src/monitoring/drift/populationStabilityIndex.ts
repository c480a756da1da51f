import { type BinnedShares, floorZeroShares } from "./binnedShares.js";

/**
 * Evidently's PSI: Σ (r - c) · ln(r / c) over the bins, after its zero floor on each side
 * (`floorZeroShares`). Not dw's quality-gate PSI (src/quality/bins.ts: reference deciles).
 */
export function populationStabilityIndex(shares: BinnedShares): number {
  const r = floorZeroShares(shares.reference);
  const c = floorZeroShares(shares.current);
  let psi = 0;
  for (let i = 0; i < r.length; i++) psi += (r[i] - c[i]) * Math.log(r[i] / c[i]);
  return psi;
}
