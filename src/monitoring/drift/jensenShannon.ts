import type { BinnedShares } from "./binnedShares.js";

/**
 * scipy.spatial.distance.jensenshannon(p, q) with the natural log: each side normalized to sum 1,
 * m = (p + q) / 2, sqrt((KL(p‖m) + KL(q‖m)) / 2), where an empty bin adds nothing. Between 0 and
 * sqrt(ln 2) ≈ 0.83.
 */
export function jensenShannon(shares: BinnedShares): number {
  const p = shares.reference;
  const q = shares.current;
  let sumP = 0;
  let sumQ = 0;
  for (let i = 0; i < p.length; i++) {
    sumP += p[i];
    sumQ += q[i];
  }
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sumP;
    const qi = q[i] / sumQ;
    const m = (pi + qi) / 2;
    if (pi > 0) left += pi * Math.log(pi / m);
    if (qi > 0) right += qi * Math.log(qi / m);
  }
  return Math.sqrt(Math.max(0, left + right) / 2);
}
