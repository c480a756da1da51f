import { getColumn, type Column, type Dataset } from "../data/Dataset.js";
import type { DatasetRecord } from "../data/datasetRecords.js";
import { DwError } from "../errors/DwError.js";
import { transform } from "../models/preprocessing.js";
import type { LoadedModel } from "../models/scoreModel.js";
import type { DriftBaseline, DriftCurrent, DriftValues } from "./DriftSide.js";

/**
 * The feature matrix scored at once when predicting a whole dataset (rows × encoded features × 8
 * bytes): small enough to stay in the processor's cache while the pipeline fills it one column
 * at a time (1M rows × 20 inputs: 65,536-row chunks of 10 MB took ~375 ms, 1 MB ones ~315 ms).
 */
const PREDICT_CHUNK_BYTES = 1 << 20;

/**
 * A dataset as the baseline of a drift check (baseline_dataset_id): every row of each model input,
 * read from the columns as loaded (no row objects), and the model's predictions on them.
 *
 * @example
 * ```ts
 * const { record, ds } = await readDataset(ws, "train-2026");
 * const baseline = baselineFromDataset(record, ds, model, reference.metrics);
 * ```
 */
export function baselineFromDataset(record: DatasetRecord, ds: Dataset, model: LoadedModel, metrics?: Record<string, number>): DriftBaseline {
  const { columns, skipped, features } = modelInputs(record, ds, model, "baseline_dataset_id");
  const present = new Map<string, number>();
  for (const [name, v] of features) present.set(name, presentCount(v));
  const baseline: DriftBaseline = {
    describe: { source: "dataset", dataset_id: record.dataset_id, rows: ds.rows, compared_rows: ds.rows },
    task: model.json.task,
    columns,
    skipped,
    rows: ds.rows,
    features,
    prediction: null,
    present,
    ...(metrics ? { performance: { metrics, ...(model.json.classes ? { classes: model.json.classes.map(String) } : {}) } } : {}),
  };
  onFirstRead(baseline, "prediction", () => predictions(model, ds));
  return baseline;
}

/**
 * A dataset as the current side (dataset_id): its model inputs, the model's predictions on every
 * row, and, when the dataset holds the target, those values as labels for performance.
 */
export function currentFromDataset(record: DatasetRecord, ds: Dataset, model: LoadedModel): DriftCurrent {
  const { features } = modelInputs(record, ds, model, "dataset_id");
  const target = getColumn(ds, model.json.target);
  const labels = (): DriftCurrent["labelled"] => {
    const prediction = current.prediction!;
    const truth: (number | string)[] = [];
    const predicted: (number | string)[] = [];
    const classifier = model.json.task === "classification";
    for (let i = 0; i < ds.rows; i++) {
      const t = target!.values[i];
      if (t === null || (typeof t === "number" && Number.isNaN(t))) continue;
      truth.push(classifier ? String(t) : Number(t));
      predicted.push(prediction.values[i] as number | string);
    }
    return { truth, predicted };
  };
  const current: DriftCurrent = { describe: { source: "dataset", dataset_id: record.dataset_id, rows: ds.rows }, rows: ds.rows, features, prediction: null };
  onFirstRead(current, "prediction", () => predictions(model, ds));
  if (target) onFirstRead(current, "labelled", labels);
  return current;
}

/**
 * Defines `key` on `obj` as `make()`, called on the first read only, then kept. A dataset side's
 * prediction (scoring a million rows takes a second) and the labels paired with it are made so,
 * and checkDriftInParallel reads them while worker threads compare the columns.
 */
function onFirstRead<T extends object, K extends keyof T & string>(obj: T, key: K, make: () => T[K]): void {
  Object.defineProperty(obj, key, {
    configurable: true,
    enumerable: true,
    get() {
      const value = make();
      Object.defineProperty(obj, key, { value, enumerable: true, writable: false, configurable: false });
      return value;
    },
  });
}

/** The model's inputs in a dataset (each must be there), as numbers or categories; dates skipped. */
function modelInputs(record: DatasetRecord, ds: Dataset, model: LoadedModel, field: string) {
  const inputs = model.json.signature.inputs;
  const missing = inputs.filter((f) => !getColumn(ds, f.name)).map((f) => f.name);
  if (missing.length) {
    throw new DwError(
      "INVALID_INPUT",
      `Dataset '${record.dataset_id}' lacks the model input(s) ${missing.map((m) => `'${m}'`).join(", ")}; the model reads ${inputs.map((f) => f.name).join(", ")}.`,
      {
        hint: `Pass a dataset with those columns. It has: ${ds.columns.map((c) => c.name).join(", ")}.`,
        details: { field, dataset_id: record.dataset_id, missing },
      },
    );
  }
  const columns: DriftBaseline["columns"] = [];
  const skipped: DriftBaseline["skipped"] = [];
  const features = new Map<string, DriftValues>();
  for (const f of inputs) {
    const c = getColumn(ds, f.name)!;
    if (c.type === "date" || f.type === "datetime") {
      skipped.push({ column: f.name, reason: "a date: later data always holds later dates, so its distribution is not compared" });
      continue;
    }
    const v = valuesOf(c);
    columns.push({ name: f.name, kind: v.kind });
    features.set(f.name, v);
  }
  return { columns, skipped, features };
}

/** A dataset column as it is held: numbers as their Float64Array, the rest as their text. */
function valuesOf(c: Column): DriftValues {
  return c.type === "number" ? { kind: "number", values: c.values } : { kind: "category", values: c.values };
}

function presentCount(v: DriftValues): number {
  let n = 0;
  if (v.kind === "number") {
    for (let i = 0; i < v.values.length; i++) if (Number.isFinite(v.values[i])) n++;
  } else {
    for (const x of v.values) if (x !== null) n++;
  }
  return n;
}

/** The model's prediction for every row, scored in chunks: values, or class labels as text. */
function predictions(model: LoadedModel, ds: Dataset): DriftValues {
  const classes = model.json.task === "classification" ? (model.json.classes ?? []).map(String) : null;
  const values = new Float64Array(ds.rows);
  const labels: (string | null)[] = classes ? new Array(ds.rows) : [];
  const inputs = new Map(model.json.signature.inputs.map((f) => [f.name, getColumn(ds, f.name)!.values]));
  const chunk = Math.max(256, Math.floor(PREDICT_CHUNK_BYTES / (8 * Math.max(1, model.json.preprocessing.feature_names.length))));
  for (let start = 0; start < ds.rows; start += chunk) {
    const n = Math.min(chunk, ds.rows - start);
    const X = transform(model.json.preprocessing, n, (name) => {
      const col = inputs.get(name)!;
      return (i) => col[start + i];
    });
    const p = model.predictor.predict(X);
    for (let i = 0; i < n; i++) {
      if (classes) labels[start + i] = classes[p[i]] ?? null;
      else values[start + i] = Number.isFinite(p[i]) ? p[i] : NaN;
    }
  }
  return classes ? { kind: "category", values: labels } : { kind: "number", values };
}
