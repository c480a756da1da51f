import { ModelJsonHead, modelJsonHeadIssue, type ModelJson } from "./ModelJson.js";
import { MODEL_JSON_LIMITS } from "./modelJsonLimits.js";
import { jsonTextIssue } from "./jsonTextIssue.js";
import { fieldPath } from "../workspace/parseDocument.js";
import { estimatorOf, loadEstimatorChecked, type Predictor } from "./estimators.js";
import { transform } from "./preprocessing.js";
import { DwError } from "../errors/DwError.js";

/** Input rows by column name, as a list of rows with column names (the shape of dataframe_split). */
export type ColumnarInput = { columns: string[]; rows: unknown[][] };

/**
 * Input rows read by column name, as a scoring request carries them (src/server/scoringRequest.ts
 * builds one from each protocol's shape without copying the values).
 */
export interface ScoringInput {
  rows: number;
  /** Whether the request carries this column. */
  has(column: string): boolean;
  /** The column's value in a row; undefined when that row lacks it (a missing value). */
  value(column: string): (row: number) => unknown;
  /** Where row `row` is in the request, for error messages (e.g. `dataframe_split.data[3]`). */
  where?(row: number): string;
  /** Every column the request carries (to report the ones the model ignores); linear in the request. */
  columnNames?(): Iterable<string>;
  /** Where a column is in the request, without its name (e.g. `dataframe_split.columns[4]`), for that report. */
  columnPlace?(column: string): string;
}

/** A ScoringInput over a list of rows with column names; the first of two equal names wins. */
export function columnarInput(input: ColumnarInput): ScoringInput {
  const positions = new Map<string, number>();
  input.columns.forEach((c, i) => {
    if (!positions.has(c)) positions.set(c, i);
  });
  input.rows.forEach((row, i) => {
    if (!Array.isArray(row)) throw new DwError("INVALID_INPUT", `Row ${i} is not a list of values.`, { details: { row: i } });
  });
  return {
    rows: input.rows.length,
    has: (column) => positions.has(column),
    value: (column) => {
      const at = positions.get(column)!;
      return (row) => input.rows[row][at];
    },
  };
}

/** A model ready to score: its JSON and its rebuilt estimator. Build once, score many times. */
export interface LoadedModel {
  json: ModelJson;
  predictor: Predictor;
}

/**
 * Parses and validates `model.json` text and rebuilds its estimator. Data only: nothing in it is
 * executed, and it may come from anywhere (a pushed ref). Checked in order, each a DATA_ERROR
 * naming `where` and the field or position: the text's size, nesting and string lengths
 * (MODEL_JSON_LIMITS, before JSON.parse), JSON, the fields (ModelJsonHead), what they say of one
 * another (modelJsonHeadIssue: classes, signature, pipeline), the estimator kind against the
 * algorithm, the fitted parameters against the model. Nothing is allocated from a count the file
 * claims before that count is checked against the data present; time and memory are linear in
 * the text's length. Keys named `__proto__` are own properties in what JSON.parse gives and
 * left out by zod, so they never reach a prototype.
 */
export function loadModel(text: string, where: string): LoadedModel {
  const tooLarge = jsonTextIssue(text, MODEL_JSON_LIMITS);
  if (tooLarge) throw damaged(`${where} is larger than a model.json may be: ${tooLarge}.`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new DwError("DATA_ERROR", `${where} is not JSON.`);
  }
  const parsed = ModelJsonHead.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw damaged(`${where} is not a valid dw.model/1 model: ${issue ? `${fieldPath("", issue.path)}: ${issue.message}` : "invalid"}.`);
  }
  const json = parsed.data;
  const inconsistent = modelJsonHeadIssue(json);
  if (inconsistent) throw damaged(`${where} is not a valid dw.model/1 model: ${fieldPath("", inconsistent.path)}: ${inconsistent.message}.`);
  if (estimatorOf(json.algorithm) !== json.params.kind)
    throw damaged(`${where}: the algorithm ${json.algorithm} is not fitted as params.kind ${json.params.kind}.`);
  try {
    // The fitted parameters are checked as data against the rest of the model: types, finite
    // numbers, lengths, the matrix width the pipeline produces and the number of classes.
    const shape = { features: json.preprocessing.feature_names.length, ...(json.task === "classification" ? { classes: json.classes?.length ?? 0 } : {}) };
    const predictor = loadEstimatorChecked(json.params, shape);
    return { json: { ...json, params: predictor.json }, predictor };
  } catch (e) {
    throw new DwError("DATA_ERROR", `${where}: the fitted parameters cannot be loaded (${(e as Error).message}).`);
  }
}

function damaged(message: string): DwError {
  return new DwError("DATA_ERROR", message, { hint: "Retrain the model with this version of dw." });
}

/**
 * Scores rows, enforcing the input signature as MLflow does: every signature column must be
 * present (extra columns are ignored; order does not matter), values must fit the column's type
 * (src/models/pipelineValues.ts says which casts are safe); missing values are imputed as in
 * training. Classifiers answer with class labels. A prediction that is not a finite number (an
 * input so large that the arithmetic overflows) is an error naming the row, never a null.
 */
export function scoreModel(model: LoadedModel, request: ColumnarInput | ScoringInput): unknown[] {
  const input = "has" in request ? request : columnarInput(request);
  const inputs = model.json.signature.inputs;
  const missing = inputs.filter((f) => !input.has(f.name)).map((f) => f.name);
  if (missing.length) {
    throw new DwError(
      "INVALID_INPUT",
      `Missing column(s) ${missing.map((m) => `'${m}'`).join(", ")}: the model expects ${inputs.map((f) => f.name).join(", ")}.`,
      {
        details: { missing, expected: inputs.map((f) => f.name) },
      },
    );
  }
  const X = transform(model.json.preprocessing, input.rows, (column) => input.value(column));
  const p = X.cols;
  for (let k = 0; k < X.data.length; k++) {
    if (!Number.isFinite(X.data[k])) throw notFinite(input, Math.floor(k / p));
  }
  const pred = model.predictor.predict(X);
  const classes = model.json.classes;
  const labelled = model.json.task === "classification" && classes;
  for (let i = 0; i < pred.length; i++) {
    const ok = labelled ? Number.isInteger(pred[i]) && pred[i] >= 0 && pred[i] < classes.length : Number.isFinite(pred[i]);
    if (!ok) throw notFinite(input, i);
  }
  if (labelled) return Array.from(pred, (k) => classes[k]);
  return Array.from(pred);
}

function notFinite(input: ScoringInput, row: number): DwError {
  const where = input.where ? input.where(row) : `Row ${row}`;
  return new DwError("INVALID_INPUT", `${where}: the model's arithmetic on this row does not give a finite number; an input is too large in magnitude.`, {
    hint: "Send values in the range the model was trained on (see the model's reference statistics).",
    details: { row },
  });
}
