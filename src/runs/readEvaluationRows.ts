import { MODEL_JSON_LIMITS } from "../models/modelJsonLimits.js";
import type { Workspace } from "../workspace/Workspace.js";
import { DwError, isDwError } from "../errors/DwError.js";
import { readCachedDataset, readDataset } from "../data/readDataset.js";
import { getColumn, type Column, type Dataset } from "../data/Dataset.js";
import { holdoutSplit, shuffledRows } from "../models/split.js";
import { rowAccessor } from "../models/rowAccessor.js";
import { transform } from "../models/preprocessing.js";
import type { ValueAccessor } from "../models/ValueAccessor.js";
import { loadModel, type LoadedModel } from "../models/scoreModel.js";
import type { FeatureMatrix } from "../models/FeatureMatrix.js";
import { readRun } from "./readRun.js";
import { DataManifest, TrainingParameters } from "./RunRecord.js";
import { runRef } from "./runId.js";

/** The rows a model is evaluated or explained on, with the model and the target as the estimator sees it. */
export interface EvaluationRows {
  runId: string;
  model: LoadedModel;
  datasetId: string;
  /** holdout: the run's own held-out rows; all_rows: every row of the run's dataset (k-fold runs); dataset: a dataset given. */
  evaluation: "holdout" | "all_rows" | "dataset";
  note?: string;
  ds: Dataset;
  source: string;
  /** Dataset row indices, in the order the run's split put them. */
  rows: Int32Array;
  /** Target values (regression) or class indices (classification), one per entry of `rows`. */
  y: Float64Array;
  nClasses: number;
}

/**
 * Loads a run's model and the rows to judge it on. Without `datasetId`, the run's held-out rows,
 * drawn again by the split train_model used (models/split.ts): the rows of the run's data snapshot
 * (by sha256) that have a target, shuffled with the run's seed, the last round(test_size · n). A k-fold
 * run has no single held-out set, so every row is used (and `note` says the numbers are then
 * optimistic). With `datasetId`, that dataset's rows that have a target; it must hold the target
 * and every input column of the model.
 */
export async function readEvaluationRows(ws: Workspace, modelId: string, datasetId?: string): Promise<EvaluationRows> {
  const { oid } = await readRun(ws, modelId, "model_id");
  const text = await ws.readText(oid, "model.json", { maxBytes: MODEL_JSON_LIMITS.maxChars });
  if (text === null) throw new DwError("DATA_ERROR", `Run '${modelId}' has no model.json: it did not train a model.`, { details: { field: "model_id" } });
  const model = loadModel(text, `model.json of run '${modelId}'`);
  const nClasses = model.json.classes?.length ?? 0;

  if (datasetId !== undefined) {
    const { record, ds } = await readDataset(ws, datasetId);
    const needed = [model.json.target, ...model.json.signature.inputs.map((f) => f.name)];
    const missing = needed.filter((c) => !getColumn(ds, c));
    if (missing.length) {
      throw new DwError(
        "INVALID_INPUT",
        `Dataset '${record.dataset_id}' lacks column(s) ${missing.map((m) => `'${m}'`).join(", ")} that model '${modelId}' needs (target '${model.json.target}'; inputs ${model.json.signature.inputs.map((f) => f.name).join(", ")}).`,
        {
          hint: `Pass a dataset with those columns. It has: ${ds.columns.map((c) => c.name).join(", ")}.`,
          details: { field: "dataset_id", dataset_id: record.dataset_id, missing },
        },
      );
    }
    const { keep, y } = readTargetFor(model, getColumn(ds, model.json.target)!, record.dataset_id);
    if (keep.length === 0)
      throw new DwError("DATA_ERROR", `No row of dataset '${record.dataset_id}' has a value in the target '${model.json.target}'.`, {
        details: { field: "dataset_id", column: model.json.target },
      });
    return {
      runId: modelId,
      model,
      datasetId: record.dataset_id,
      evaluation: "dataset",
      ds,
      source: record.source,
      rows: Int32Array.from(keep),
      y: Float64Array.from(keep, (row) => y[row]),
      nClasses,
    };
  }

  const params = await ws.readDocument(TrainingParameters, oid, "params.json", runRef(modelId));
  const manifest = await ws.readDocument(DataManifest, oid, "data/manifest.json", runRef(modelId));
  if (!params || !manifest)
    throw new DwError("DATA_ERROR", `Run '${modelId}' lacks params.json or data/manifest.json: its held-out rows cannot be reproduced.`, {
      hint: "Pass --dataset_id to evaluate on a dataset instead.",
    });
  // The cached copy of exactly the data the run saw, in whatever format it was loaded from.
  const ds = await readCachedDataset(ws, { sha256: manifest.sha256, source: manifest.source, format: manifest.format, delimiter: manifest.delimiter }).catch(
    (e: unknown) => {
      if (isDwError(e) && e.code === "NOT_FOUND") {
        throw new DwError("NOT_FOUND", `The data run '${modelId}' was trained on is missing: ${e.message}`, {
          hint: `${e.hint ? `${e.hint} ` : ""}Or pass --dataset_id to evaluate on a dataset that is loaded.`,
          details: { field: "model_id", sha256: manifest.sha256 },
        });
      }
      throw e;
    },
  );
  const target = getColumn(ds, model.json.target);
  if (!target) throw new DwError("DATA_ERROR", `The data of run '${modelId}' has no column '${model.json.target}'.`);
  const { keep, y } = readTargetFor(model, target, manifest.dataset_id);
  const shuffled = shuffledRows(keep, params.seed);
  let rows: Int32Array;
  let evaluation: EvaluationRows["evaluation"];
  let note: string | undefined;
  if (params.cv_folds === null || params.cv_folds === undefined) {
    rows = holdoutSplit(shuffled, params.test_size).test;
    evaluation = "holdout";
  } else {
    rows = shuffled;
    evaluation = "all_rows";
    note = `Run '${modelId}' was evaluated by ${params.cv_folds}-fold cross-validation and its final model was fitted on every row, so there are no held-out rows: these numbers are on the training data and optimistic. Pass --dataset_id with fresh data for an honest estimate.`;
  }
  return {
    runId: modelId,
    model,
    datasetId: manifest.dataset_id,
    evaluation,
    ...(note ? { note } : {}),
    ds,
    source: manifest.source,
    rows,
    y: Float64Array.from(rows, (row) => y[row]),
    nClasses,
  };
}

/** The model's feature matrix for these rows; a bad value is reported at its line in the data file. */
export function matrixFor(er: EvaluationRows, get: ValueAccessor = rowAccessor(er.ds, er.rows)): FeatureMatrix {
  try {
    return transform(er.model.json.preprocessing, er.rows.length, get);
  } catch (e) {
    const row = isDwError(e) ? e.details?.row : undefined;
    if (!isDwError(e) || typeof row !== "number") throw e;
    const line = er.rows[row] + 2;
    throw new DwError(e.code, `${er.source}, line ${line}: ${e.message.replace(/^Row \d+, /, "")}`, {
      hint: "Fix or blank that value (blanks are imputed as in training).",
      details: { ...e.details, row: er.rows[row], line },
    });
  }
}

/**
 * Rows with a target, and the target as the model's estimator sees it (class indices for a
 * classifier), by dataset row: `y[row]` for each row of `keep`.
 */
function readTargetFor(model: LoadedModel, col: Column, datasetId: string): { keep: number[]; y: Float64Array } {
  const keep: number[] = [];
  const y = new Float64Array(col.values.length);
  const target = model.json.target;
  if (model.json.task === "regression") {
    if (col.type !== "number") {
      throw new DwError(
        "DATA_ERROR",
        `Target '${target}' in dataset '${datasetId}' holds ${col.type} values, but model '${model.json.run_id}' is a regression on numbers.`,
        { details: { field: "dataset_id", column: target } },
      );
    }
    col.values.forEach((v, i) => {
      if (!Number.isNaN(v)) {
        keep.push(i);
        y[i] = v;
      }
    });
    return { keep, y };
  }
  const classes = model.json.classes ?? [];
  const index = new Map(classes.map((c, k) => [String(c), k]));
  const unknown = new Set<string>();
  for (let i = 0; i < col.values.length; i++) {
    const v = col.values[i];
    if (v === null || (typeof v === "number" && Number.isNaN(v))) continue;
    const k = index.get(String(v));
    if (k === undefined) {
      unknown.add(String(v));
      continue;
    }
    keep.push(i);
    y[i] = k;
  }
  if (unknown.size) {
    const some = [...unknown].slice(0, 5);
    throw new DwError(
      "DATA_ERROR",
      `Target '${target}' in dataset '${datasetId}' holds label(s) the model never learned: ${some.map((u) => `'${u}'`).join(", ")}${unknown.size > 5 ? ` and ${unknown.size - 5} more` : ""}.`,
      {
        hint: `The model knows: ${classes.map(String).join(", ")}. Drop or relabel those rows.`,
        details: { field: "dataset_id", column: target, unknown: some },
      },
    );
  }
  return { keep, y };
}
