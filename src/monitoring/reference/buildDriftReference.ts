import { getColumn, type Column, type Dataset } from "../../data/Dataset.js";
import { sortedFinite } from "../drift/sortedFinite.js";
import { describeNumbers } from "./describeNumbers.js";
import { roundSignificant } from "./roundSignificant.js";
import { DwError } from "../../errors/DwError.js";
import type { LoadedModel } from "../../models/scoreModel.js";
import { transform } from "../../models/preprocessing.js";
import { rowAccessor } from "../../models/rowAccessor.js";
import { createRandom, sampledIndices } from "../../models/random.js";
import { documentText } from "../../workspace/documentText.js";
import {
  DISTINCT_CAP,
  DRIFT_REFERENCE_PATH,
  DRIFT_SAMPLE_PATH,
  REFERENCE_CATEGORIES,
  REFERENCE_SAMPLE_ROWS,
  SAMPLE_DIGITS,
  type DriftReference,
  type LoadedDriftReference,
  type ReferenceColumn,
  type ReferenceSampleFile,
  type SampleColumn,
  type SampleValues,
} from "./DriftReference.js";

/** What a reference is built from: the run's data, its fitted model and its measured performance. */
export interface ReferenceSource {
  runId: string;
  ds: Dataset;
  data: { dataset_id: string; sha256: string };
  /** The fitted model (pipeline, estimator, signature, classes), as scoring uses it. */
  model: LoadedModel;
  performance: DriftReference["performance"];
  /** Seeds the sample (the run's seed), so the same run gives the same sample. */
  seed: number;
  sampleRows?: number;
  /**
   * Numeric columns' descriptions already computed on the rows that have a target (a training
   * computes them from the one sort of each column its other statistics share, see
   * describeNumbers), by column name; a column not here (or counted on other rows) is described here.
   */
  numbers?: ReadonlyMap<string, Extract<ReferenceColumn, { kind: "number" }>>;
}

/**
 * The drift reference of a trained model: per input (the model's signature), for the target and
 * for the prediction, the statistics a drift check needs (count, nulls, distinct values, 5%
 * quantile edges with counts or the commonest categories with counts), and a seeded sample of the
 * same rows of every column with the model's predictions on them, computed here from the fitted
 * pipeline so no later check reloads the data or the model. The rows are the run's rows that
 * have a target. Returns the reference (decoded, for use now) and the two files to store in the
 * run commit.
 *
 * @example
 * ```ts
 * const built = buildDriftReference({ runId, ds, data: { dataset_id, sha256 }, model: { json, predictor }, performance, seed: 42 });
 * await writeRun(ws, { ...run, references: { ...built.files } });
 * ```
 */
export function buildDriftReference(src: ReferenceSource): { loaded: LoadedDriftReference; files: Record<string, string> } {
  const { ds, model } = src;
  const json = model.json;
  const targetColumn = need(ds, json.target);
  const classification = json.task === "classification";
  const rows = rowsWithValue(targetColumn);
  const k = Math.min(src.sampleRows ?? REFERENCE_SAMPLE_ROWS, rows.length);
  const sampleRows = Int32Array.from(sampledIndices(rows.length, k, createRandom(src.seed)), (i) => rows[i]);

  const features: ReferenceColumn[] = [];
  const sampleFeatures: Record<string, SampleValues> = {};
  const skipped: DriftReference["skipped"] = [];
  for (const input of json.signature.inputs) {
    const col = need(ds, input.name);
    if (col.type === "date") {
      skipped.push({ name: col.name, reason: "a date: later data always holds later dates, so its distribution is not compared" });
      continue;
    }
    const kind = col.type === "number" ? "number" : "category";
    features.push((kind === "number" ? computed(src, col.name, rows) : undefined) ?? describeColumn(col.name, col, rows, kind));
    sampleFeatures[col.name] = sampleOf(col, sampleRows, kind);
  }
  const targetKind = classification ? "category" : "number";
  const target = (targetKind === "number" ? computed(src, json.target, rows) : undefined) ?? describeColumn(json.target, targetColumn, rows, targetKind);
  const sampleTarget = sampleOf(targetColumn, sampleRows, targetKind);

  const predicted = predictions(model, ds, sampleRows);
  const predictionColumn: Column = classification
    ? { name: json.target, type: "string", values: predicted.map((p) => String(p)), nulls: 0 }
    : { name: json.target, type: "number", values: Float64Array.from(predicted as number[]), nulls: 0 };
  const all = Int32Array.from({ length: k }, (_, i) => i);
  const prediction = describeColumn(json.target, predictionColumn, all, targetKind);
  const samplePrediction = sampleOf(predictionColumn, all, targetKind);

  const reference: DriftReference = {
    format: "dw.drift-reference/1",
    run_id: src.runId,
    task: json.task,
    ...(json.classes ? { classes: json.classes.map((c) => String(c)) } : {}),
    rows: rows.length,
    data: src.data,
    features,
    skipped,
    target,
    prediction,
    sample: { rows: k, seed: src.seed, path: DRIFT_SAMPLE_PATH },
    performance: src.performance,
  };
  const sampleFile: ReferenceSampleFile = {
    format: "dw.drift-sample/1",
    rows: k,
    features: sampleFeatures,
    target: sampleTarget,
    prediction: samplePrediction,
  };
  return {
    // Decoded when asked for: a training stores the files and never reads the sample back.
    get loaded(): LoadedDriftReference {
      return { reference, sample: decodeSample(sampleFile), origin: "stored" };
    },
    files: { [DRIFT_REFERENCE_PATH]: documentText(reference), [DRIFT_SAMPLE_PATH]: compactJson(sampleFile) },
  };
}

/** The sample file's columns in memory: numbers as a Float64Array (NaN missing), categories as text. */
export function decodeSample(file: ReferenceSampleFile): LoadedDriftReference["sample"] {
  const one = (v: SampleValues): SampleColumn =>
    v.kind === "number"
      ? { kind: "number", values: Float64Array.from(v.values, (x) => x ?? NaN) }
      : { kind: "category", values: v.codes.map((c) => (c === null ? null : (v.dictionary[c] ?? null))) };
  return {
    rows: file.rows,
    features: new Map(Object.entries(file.features).map(([name, v]) => [name, one(v)])),
    target: one(file.target),
    prediction: one(file.prediction),
  };
}

/** The model's answers on these rows, as dw serve gives them: values, or class labels. */
function predictions(model: LoadedModel, ds: Dataset, rows: Int32Array): (number | string | boolean)[] {
  if (rows.length === 0) return [];
  const X = transform(model.json.preprocessing, rows.length, rowAccessor(ds, rows));
  const p = model.predictor.predict(X);
  const classes = model.json.classes;
  if (model.json.task === "classification" && classes) return Array.from(p, (k) => classes[k]);
  return Array.from(p);
}

/** A number column's description the caller computed, if it describes these rows (see ReferenceSource.numbers). */
function computed(src: ReferenceSource, name: string, rows: Int32Array): ReferenceColumn | undefined {
  const d = src.numbers?.get(name);
  return d && d.name === name && d.count + d.nulls === rows.length ? d : undefined;
}

/** Rows where the column has a value (a target: the rows a training used). */
function rowsWithValue(c: Column): Int32Array {
  const has = c.type === "number" ? (i: number) => c.values[i] === c.values[i] : (i: number) => c.values[i] !== null;
  // Counted first, then written: a million rows as a number[] then copied cost more than the drift statistics.
  let n = 0;
  for (let i = 0; i < c.values.length; i++) if (has(i)) n++;
  const out = new Int32Array(n);
  for (let i = 0, k = 0; i < c.values.length; i++) if (has(i)) out[k++] = i;
  return out;
}

/** A column's values on `rows` as numbers (NaN missing): a text column's numeric values, the rest missing. */
function numbersOf(c: Column, rows: Int32Array): Float64Array {
  // Every row (no target missing): the column itself, not a copy of a million values.
  if (c.type === "number" && rows.length === c.values.length) return c.values;
  const out = new Float64Array(rows.length);
  if (c.type === "number") {
    for (let k = 0; k < rows.length; k++) out[k] = c.values[rows[k]];
    return out;
  }
  for (let k = 0; k < rows.length; k++) {
    const v = c.values[rows[k]];
    out[k] = v === null || v.trim() === "" ? NaN : Number(v);
  }
  return out;
}

/** A column's values on `rows` as text (null missing): numbers written as JavaScript writes them. */
function textsOf(c: Column, rows: Int32Array): (string | null)[] {
  if (c.type === "number") return Array.from(rows, (i) => (c.values[i] === c.values[i] ? String(c.values[i]) : null));
  return Array.from(rows, (i) => c.values[i]);
}

function describeColumn(name: string, c: Column, rows: Int32Array, kind: "number" | "category"): ReferenceColumn {
  if (kind === "number") return describeNumbers(name, sortedFinite(numbersOf(c, rows)), rows.length);
  const counts = new Map<string, number>();
  let nulls = 0;
  for (const v of textsOf(c, rows)) {
    if (v === null) nulls++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const kept = ranked.slice(0, REFERENCE_CATEGORIES);
  const other = ranked.slice(REFERENCE_CATEGORIES).reduce((s, [, n]) => s + n, 0);
  return {
    name,
    kind,
    count: rows.length - nulls,
    nulls,
    distinct: Math.min(counts.size, DISTINCT_CAP),
    categories: kept.map(([v]) => v),
    category_counts: kept.map(([, n]) => n),
    other,
  };
}

function sampleOf(c: Column, rows: Int32Array, kind: "number" | "category"): SampleValues {
  if (kind === "number") return { kind, values: Array.from(numbersOf(c, rows), (v) => (v === v ? roundSignificant(v, SAMPLE_DIGITS) : null)) };
  const dictionary: string[] = [];
  const codeOf = new Map<string, number>();
  const codes = textsOf(c, rows).map((v) => {
    if (v === null) return null;
    let code = codeOf.get(v);
    if (code === undefined) {
      code = dictionary.push(v) - 1;
      codeOf.set(v, code);
    }
    return code;
  });
  return { kind, dictionary, codes };
}

/** JSON without indentation: the sample is data, read by dw, and indenting 100,000 numbers doubles it. */
function compactJson(v: unknown): string {
  return `${JSON.stringify(v)}\n`;
}

function need(ds: Dataset, name: string): Column {
  const c = getColumn(ds, name);
  if (!c) throw new DwError("DATA_ERROR", `The run's data has no column '${name}', which the model uses.`, { details: { column: name } });
  return c;
}
