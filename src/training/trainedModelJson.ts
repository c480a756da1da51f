import type { NumberColumn } from "../data/Dataset.js";
import type { Algorithm } from "../models/estimators.js";
import { featureStats } from "../models/featureStats.js";
import type { FeatureStats, ModelJson } from "../models/ModelJson.js";
import { inputSignature } from "../models/preprocessing.js";
import type { FittedModel } from "./fitOnRows.js";
import type { TrainingData } from "./prepareTrainingData.js";

/**
 * The model.json of a fitted model: what scoring needs (signature, preprocessing, fitted
 * parameters, classes), where it came from (the data's fingerprint, the run), and the statistics
 * of each numeric input on the training rows, which drift detection compares against.
 */
export function trainedModelJson(
  data: TrainingData,
  fitted: FittedModel,
  o: {
    algorithm: Algorithm;
    hyperparameters: Record<string, unknown>;
    trainRows: Int32Array;
    runId: string;
    now: Date;
    /** Inputs' featureStats already computed on exactly these training rows, by column name (see referenceStats). */
    referenceStats?: ReadonlyMap<string, FeatureStats>;
  },
): ModelJson {
  const { task, target, targetColumn, classes, record } = data;
  const numericInputs = data.features.filter((c): c is NumberColumn => c.type === "number");
  return {
    format: "dw.model/1",
    algorithm: o.algorithm,
    task,
    target,
    ...(classes ? { classes } : {}),
    hyperparameters: o.hyperparameters,
    signature: {
      inputs: inputSignature(fitted.pipeline),
      outputs: [
        {
          name: target,
          type: task === "regression" ? "double" : targetColumn.type === "number" ? "double" : targetColumn.type === "boolean" ? "boolean" : "string",
        },
      ],
    },
    preprocessing: fitted.pipeline,
    params: fitted.predictor.json,
    training_data: { dataset_id: record.dataset_id, sha256: record.sha256, rows: o.trainRows.length },
    reference_stats: referenceStats(numericInputs, o.trainRows, o.referenceStats),
    created_at: o.now.toISOString(),
    run_id: o.runId,
  };
}

/**
 * Each numeric input's featureStats on the training rows. They do not depend on the rows' order
 * (featureStats sorts), so when the rows are most of the dataset's, each column is read as a
 * stream through one mask of the rows, instead of by a cache miss per shuffled row; otherwise (or
 * with a row listed twice) at the rows, in a tight loop. A column in `computed` (a training computes
 * them off the critical path, from the one sort of each column its other statistics share) is
 * taken from there, when it counts as many values as there are rows.
 */
function referenceStats(columns: NumberColumn[], rows: Int32Array, computed?: ReadonlyMap<string, FeatureStats>): Record<string, FeatureStats> {
  const given = (name: string) => {
    const s = computed?.get(name);
    return s && s.count + s.nulls === rows.length ? s : undefined;
  };
  const missing = columns.filter((c) => !given(c.name));
  if (missing.length === 0) return Object.fromEntries(columns.map((c) => [c.name, given(c.name)!]));
  const total = columns[0]?.values.length ?? 0;
  let mask: Uint8Array | undefined = rows.length * 4 >= total ? new Uint8Array(total) : undefined;
  for (let k = 0; mask && k < rows.length; k++) {
    if (mask[rows[k]]) mask = undefined;
    else mask[rows[k]] = 1;
  }
  const onRows = (values: Float64Array): Float64Array => {
    const out = new Float64Array(rows.length);
    if (mask) {
      for (let i = 0, k = 0; i < values.length; i++) if (mask[i]) out[k++] = values[i];
    } else {
      for (let k = 0; k < rows.length; k++) out[k] = values[rows[k]];
    }
    return out;
  };
  return Object.fromEntries(columns.map((c) => [c.name, given(c.name) ?? featureStats(onRows(c.values))]));
}
