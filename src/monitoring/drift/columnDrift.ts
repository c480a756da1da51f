import { DwError } from "../../errors/DwError.js";
import { type CategoryCounts, countCategoryMaps, countSortedNumbers } from "./CategoryCounts.js";
import { type DriftColumnData, type DriftColumnResult, type DriftMethod, defaultDriftThreshold } from "./DriftMethod.js";
import { type BinnedShares, categoryShares, histogramShares } from "./binnedShares.js";
import { chiSquareTest } from "./chiSquareTest.js";
import { defaultDriftMethod } from "./defaultDriftMethod.js";
import { jensenShannon } from "./jensenShannon.js";
import { ksTwoSample } from "./ksTwoSample.js";
import { populationStabilityIndex } from "./populationStabilityIndex.js";
import { proportionZTest } from "./proportionZTest.js";
import { sortedFinite } from "./sortedFinite.js";
import { wassersteinNormed } from "./wassersteinNormed.js";

export interface ColumnDriftOptions {
  /** The method; omitted, Evidently's DataDriftPreset choice (`defaultDriftMethod`). */
  method?: DriftMethod;
  /** Omitted or null, the method's default (0.05 for the tests, 0.1 for the distances). */
  threshold?: number | null;
  /**
   * The full reference's count of present values of this column, when `reference` is a sample of
   * it: the size rule of the default choice reads it (at most 1,000: the tests; above: distances).
   */
  referenceRows?: number;
}

/**
 * One column's drift between a reference and a current sample, computed as Evidently 0.7 computes
 * it (same statistic to 1e-6 on the same data, same verdict): ks (p <= threshold drifts, as
 * Evidently's KS writes it), chisquare and z (p < threshold), wasserstein, jensenshannon and psi
 * (distance >= threshold). Numbers are sorted once (a copy; the inputs are left alone); a category
 * column or a numeric one handed to a category method is counted per distinct value. Throws
 * DATA_ERROR when a side has no values (Evidently refuses an empty column too) and INVALID_INPUT
 * for ks or wasserstein on a category column.
 *
 * @example columnDrift({ kind: "number", values: ref }, { kind: "number", values: cur }) // { method: "wasserstein", statistic: 0.51, p_value: null, threshold: 0.1, drifted: true }
 */
export function columnDrift(reference: DriftColumnData, current: DriftColumnData, options: ColumnDriftOptions = {}): DriftColumnResult {
  if (reference.kind !== current.kind)
    throw new DwError("INVALID_INPUT", `drift: the reference column holds ${reference.kind} values and the current one ${current.kind} values`, {
      hint: "compare a column with the same column: both numeric or both categorical",
    });
  const sides = prepare(reference, current);
  if (sides.referenceSize === 0 || sides.currentSize === 0) {
    const side = sides.referenceSize === 0 ? "reference" : "current";
    throw new DwError("DATA_ERROR", `drift: the ${side} sample of the column has no values (all null or non-finite), so no drift statistic exists`, {
      hint: `check that the column has values in the ${side} data, or leave it out of the drift check`,
      details: { side },
    });
  }
  const method = options.method ?? defaultDriftMethod(sides.evidentlyKind(), options.referenceRows ?? sides.referenceSize, sides.distinct());
  const threshold = options.threshold ?? defaultDriftThreshold(method);
  if ((method === "ks" || method === "wasserstein") && sides.kind === "category")
    throw new DwError("INVALID_INPUT", `drift: the ${method} method needs numeric values, and this column is categorical`, {
      hint: "use chisquare, z, jensenshannon or psi for a categorical column, or leave the method out",
      details: { method },
    });
  switch (method) {
    case "ks": {
      const { statistic, pValue } = ksTwoSample(...sides.sorted());
      return { method, statistic, p_value: pValue, threshold, drifted: pValue <= threshold };
    }
    case "wasserstein": {
      const statistic = wassersteinNormed(...sides.sorted());
      return { method, statistic, p_value: null, threshold, drifted: statistic >= threshold };
    }
    case "chisquare":
    case "z": {
      const { statistic, pValue } = (method === "z" ? proportionZTest : chiSquareTest)(sides.counts());
      return { method, statistic, p_value: pValue, threshold, drifted: pValue < threshold };
    }
    case "jensenshannon":
    case "psi": {
      const shares = binned(sides);
      const statistic = method === "psi" ? populationStabilityIndex(shares) : jensenShannon(shares);
      return { method, statistic, p_value: null, threshold, drifted: statistic >= threshold };
    }
    default:
      throw new DwError("INVALID_INPUT", `drift: unknown method '${String(method)}'`, {
        hint: "use one of ks, chisquare, z, wasserstein, jensenshannon, psi",
      });
  }
}

/** Evidently's INTEGER_CARDINALITY_LIMIT: an integer column with at most this many distinct values is categorical. */
const INTEGER_CARDINALITY_LIMIT = 10;

interface Sides {
  kind: "number" | "category";
  referenceSize: number;
  currentSize: number;
  /** Distinct present values over both sides, counted up to 6 (the default choice asks only "more than 5?"). */
  distinct(): number;
  /**
   * The column type Evidently infers, which picks the default method: it reads the current data
   * only, and takes an integer column (pandas int64: here, every current value an integer) of at
   * most 10 distinct values for categorical.
   */
  evidentlyKind(): "number" | "category";
  sorted(): [Float64Array, Float64Array];
  counts(): CategoryCounts;
}

function prepare(reference: DriftColumnData, current: DriftColumnData): Sides {
  if (reference.kind === "number" && current.kind === "number") {
    const ref = sortedFinite(reference.values);
    const cur = sortedFinite(current.values);
    let counts: CategoryCounts | undefined;
    const count = () => {
      counts ??= countSortedNumbers(ref, cur);
      return counts;
    };
    return {
      kind: "number",
      referenceSize: ref.length,
      currentSize: cur.length,
      distinct: () => distinctSorted(ref, cur, 6),
      evidentlyKind: () =>
        cur.every(Number.isInteger) && distinctSorted(cur, EMPTY, INTEGER_CARDINALITY_LIMIT + 1) <= INTEGER_CARDINALITY_LIMIT ? "category" : "number",
      sorted: () => [ref, cur],
      counts: count,
    };
  }
  const counts = countCategoryMaps((reference as { counts: Map<string, number> }).counts, (current as { counts: Map<string, number> }).counts);
  return {
    kind: "category",
    referenceSize: counts.referenceTotal,
    currentSize: counts.currentTotal,
    distinct: () => counts.keys.length,
    evidentlyKind: () => "category",
    sorted: () => {
      throw new Error("a category column has no sorted values");
    },
    counts: () => counts,
  };
}

/** Evidently's bins: equal-width over both samples for a numeric column of more than 20 distinct reference values, else one per value. */
function binned(sides: Sides): BinnedShares {
  if (sides.kind === "number") {
    const [ref, cur] = sides.sorted();
    if (distinctSorted(ref, EMPTY, 21) > 20) return histogramShares(ref, cur);
  }
  return categoryShares(sides.counts());
}

const EMPTY = new Float64Array(0);

/** Distinct values over two sorted samples, counted up to `cap` (a million values need not be walked to learn there are more than 5). */
function distinctSorted(a: Float64Array, b: Float64Array, cap: number): number {
  let i = 0;
  let j = 0;
  let distinct = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
    while (i < a.length && a[i] === v) i++;
    while (j < b.length && b[j] === v) j++;
    distinct++;
    if (distinct >= cap) break;
  }
  return distinct;
}
