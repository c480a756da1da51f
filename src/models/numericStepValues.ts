import type { NumberColumn } from "../data/Dataset.js";
import { medianBySelection } from "../data/statistics.js";
import { standardization, trainingNumbers, trainingNumbersAnyOrder } from "./pipelineValues.js";

/** What a default numeric pipeline step learns from the training rows: the median it imputes, and with scaling the mean and std it standardises by. */
export interface NumericStepValues {
  /** NaN when the column has no missing value at all: the training matrix never reads it, so it is left for later (see fitPipelineDeferred). */
  impute: number;
  /** Only when scaling was asked for. */
  scale?: { mean: number; std: number };
}

/**
 * The numbers dw's default numeric step fits on a column (fitPipelineDeferred), on its own so that
 * the fit worker can fit them while the gates run (stageMatrix) with exactly the arithmetic the
 * calling thread would use: the standardisation summed over the training values in the rows'
 * order, the median by selection (which does not depend on their order, zero signs included).
 * Throws allNull (DATA_ERROR) when no training row has a value.
 *
 * @example
 * ```ts
 * const { impute, scale } = numericStepValues(column, trainRows, true);
 * ```
 */
export function numericStepValues(col: NumberColumn, trainRows: ArrayLike<number>, scale: boolean): NumericStepValues {
  const values = scale ? trainingNumbers(col, trainRows) : undefined;
  const out: NumericStepValues = { impute: NaN };
  if (values) out.scale = standardization(values);
  // Without scaling, the values are read in dataset order (a stream, not a cache miss per row).
  // An empty training set throws allNull here too, through trainingNumbers.
  if (col.nulls !== 0 || trainRows.length === 0) out.impute = medianBySelection(values ?? trainingNumbersAnyOrder(col, trainRows));
  return out;
}
