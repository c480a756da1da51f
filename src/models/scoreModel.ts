import { ModelJson } from "./ModelJson.js";
import { loadEstimator, type EstimatorJson, type Predictor } from "./estimators.js";
import { transform } from "./pipeline.js";
import { DwError } from "../errors/DwError.js";

/** Input rows by column name, as a scoring request carries them. */
export type ColumnarInput = { columns: string[]; rows: unknown[][] };

/** A model ready to score: its JSON and its rebuilt estimator. Build once, score many times. */
export interface LoadedModel {
  json: ModelJson;
  predictor: Predictor;
}

/** Parses and validates `model.json` text and rebuilds its estimator. Data only: nothing in it is executed. */
export function loadModel(text: string, where: string): LoadedModel {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new DwError("DATA_ERROR", `${where} is not JSON.`);
  }
  const parsed = ModelJson.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DwError("DATA_ERROR", `${where} is not a valid dw.model/1 model: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid"}.`, { hint: "Retrain the model with this version of dw." });
  }
  try {
    return { json: parsed.data, predictor: loadEstimator(parsed.data.params as unknown as EstimatorJson) };
  } catch (e) {
    throw new DwError("DATA_ERROR", `${where}: the fitted parameters cannot be loaded (${(e as Error).message}).`);
  }
}

/**
 * Scores rows, enforcing the input signature as MLflow does: every signature column must be
 * present (extra columns are ignored; order does not matter), values must fit the column's type;
 * missing values are imputed as in training. Classifiers answer with class labels.
 */
export function scoreModel(model: LoadedModel, input: ColumnarInput): unknown[] {
  const inputs = model.json.signature.inputs;
  const positions = new Map(input.columns.map((c, i) => [c, i]));
  const missing = inputs.filter((f) => !positions.has(f.name)).map((f) => f.name);
  if (missing.length) {
    throw new DwError("INVALID_INPUT", `Missing column(s) ${missing.map((m) => `'${m}'`).join(", ")}: the model expects ${inputs.map((f) => f.name).join(", ")}.`, {
      details: { missing, expected: inputs.map((f) => f.name) },
    });
  }
  input.rows.forEach((row, i) => {
    if (!Array.isArray(row)) throw new DwError("INVALID_INPUT", `Row ${i} is not a list of values.`, { details: { row: i } });
  });
  const X = transform(model.json.preprocessing, input.rows.length, (column) => {
    const pos = positions.get(column)!;
    return (row) => input.rows[row][pos];
  });
  const pred = model.predictor.predict(X);
  const classes = model.json.classes;
  if (model.json.task === "classification" && classes) return Array.from(pred, (k) => classes[k]);
  return Array.from(pred);
}
