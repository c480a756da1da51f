/**
 * Evidently's normed Wasserstein distance: scipy.stats.wasserstein_distance (the area between the
 * two empirical CDFs, ∫ |F_ref - F_cur|) divided by max(std(reference), 0.001), the population
 * standard deviation (numpy's default ddof 0). One merge pass over the sorted samples, exact.
 */
export function wassersteinNormed(reference: Float64Array, current: Float64Array): number {
  return wassersteinDistance(reference, current) / Math.max(populationStd(reference), 0.001);
}

/** W1 between two sorted samples: Σ over consecutive distinct values of |F_ref - F_cur| · gap. */
export function wassersteinDistance(reference: Float64Array, current: Float64Array): number {
  const n1 = reference.length;
  const n2 = current.length;
  let i = 0;
  let j = 0;
  let sum = 0;
  let compensation = 0;
  let v = Math.min(reference[0], current[0]);
  while (i < n1 || j < n2) {
    while (i < n1 && reference[i] <= v) i++;
    while (j < n2 && current[j] <= v) j++;
    if (i >= n1 && j >= n2) break;
    const next = j >= n2 || (i < n1 && reference[i] < current[j]) ? reference[i] : current[j];
    // Neumaier summation: a million small terms lose no digits.
    const term = Math.abs(i / n1 - j / n2) * (next - v);
    const t = sum + term;
    compensation += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
    v = next;
  }
  return sum + compensation;
}

/** sqrt(mean((x - mean)²)), two passes with compensated sums. */
function populationStd(values: Float64Array): number {
  const n = values.length;
  let sum = 0;
  let c = 0;
  for (let k = 0; k < n; k++) {
    const t = sum + values[k];
    c += Math.abs(sum) >= Math.abs(values[k]) ? sum - t + values[k] : values[k] - t + sum;
    sum = t;
  }
  const mean = (sum + c) / n;
  let squares = 0;
  let c2 = 0;
  for (let k = 0; k < n; k++) {
    const d = values[k] - mean;
    const term = d * d;
    const t = squares + term;
    c2 += squares >= term ? squares - t + term : term - t + squares;
    squares = t;
  }
  return Math.sqrt((squares + c2) / n);
}
