// Lanczos' approximation with g = 671/128 and 14 terms (as in Numerical Recipes, 3rd ed., §6.1):
// relative error below 1e-15 for every x > 0, which is what the chi-square and z p-values need.
const COEFFICIENTS = [
  57.15623566586292, -59.59796035547549, 14.136097974741746, -0.4919138160976202, 0.00003399464998481189, 0.00004652362892704858, -0.00009837447530487956,
  0.0001580887032249125, -0.00021026444172410488, 0.00021743961811521265, -0.0001643181065367639, 0.00008441822398385275, -0.000026190838401581408,
  0.0000036899182659531625,
];

/** ln Γ(x) for x > 0 (NaN otherwise). */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  let y = x;
  const base = x + 5.2421875;
  const head = (x + 0.5) * Math.log(base) - base;
  let series = 0.9999999999999971;
  for (const c of COEFFICIENTS) {
    y += 1;
    series += c / y;
  }
  return head + Math.log((2.5066282746310007 * series) / x);
}
