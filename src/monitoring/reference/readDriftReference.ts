import type { Workspace } from "../../workspace/Workspace.js";
import { committedDocument, parseDocument } from "../../workspace/parseDocument.js";
import { DwError, isDwError } from "../../errors/DwError.js";
import { readCachedDataset } from "../../data/readDataset.js";
import { MODEL_JSON_LIMITS } from "../../models/modelJsonLimits.js";
import { loadModel } from "../../models/scoreModel.js";
import { readRun } from "../../runs/readRun.js";
import { DataManifest, RunMetrics, TrainingParameters } from "../../runs/RunRecord.js";
import { runRef } from "../../runs/runId.js";
import { DRIFT_REFERENCE_PATH, DRIFT_SAMPLE_PATH, DriftReference, ReferenceSampleFile, type LoadedDriftReference } from "./DriftReference.js";
import { buildDriftReference, decodeSample } from "./buildDriftReference.js";

/** The most reference.json is read of (dw writes a few KB per feature). */
export const REFERENCE_MAX_BYTES = 4 * 2 ** 20;
/** The most the sample file is read of (5,000 rows of 20 features is under 2 MB of text). */
export const SAMPLE_MAX_BYTES = 64 * 2 ** 20;

/**
 * The drift reference of a run: read from its commit (monitoring/reference.json and the sample),
 * each refused past its size cap before it is inflated and checked against its schema. A run made
 * before references were stored has none: it is built now from the run's data when that is still
 * in .dw/cache (by the sha256 in data/manifest.json) and its model.json, and `origin` says so;
 * otherwise a NOT_FOUND says why and what to do.
 *
 * @example
 * ```ts
 * const ref = await readDriftReference(ws, "20261204-071500-a1b2c3");
 * ref.reference.features.map((f) => f.name);
 * ```
 */
export async function readDriftReference(ws: Workspace, runId: string, field = "model_id"): Promise<LoadedDriftReference> {
  const { oid } = await readRun(ws, runId, field);
  const ref = runRef(runId);
  const text = await ws.readText(oid, DRIFT_REFERENCE_PATH, { maxBytes: REFERENCE_MAX_BYTES });
  if (text === null) return rebuild(ws, runId, oid, field);
  const reference = parseDocument(DriftReference, text, committedDocument(oid, DRIFT_REFERENCE_PATH, ref));
  const sampleText = await ws.readText(oid, DRIFT_SAMPLE_PATH, { maxBytes: SAMPLE_MAX_BYTES });
  if (sampleText === null) {
    throw new DwError("DATA_ERROR", `The ref ${ref} is damaged: it has ${DRIFT_REFERENCE_PATH} but not ${DRIFT_SAMPLE_PATH}.`, {
      hint: "Train the model again, or pass baseline_dataset_id to compare with a dataset instead.",
      details: { ref, file: DRIFT_SAMPLE_PATH },
    });
  }
  const place = committedDocument(oid, DRIFT_SAMPLE_PATH, ref);
  const file = parseDocument(ReferenceSampleFile, sampleText, place);
  const columns = [...Object.values(file.features), file.target, file.prediction];
  if (columns.some((c) => (c.kind === "number" ? c.values.length : c.codes.length) !== file.rows)) {
    throw new DwError("DATA_ERROR", `${place.label}: a column does not hold ${file.rows} values.`, { hint: place.hint, details: place.details });
  }
  return { reference, sample: decodeSample(file), origin: "stored" };
}

/** A reference built from a run's cached data and model, for a run made before references were stored. */
async function rebuild(ws: Workspace, runId: string, oid: string, field: string): Promise<LoadedDriftReference> {
  const ref = runRef(runId);
  const manifest = await ws.readDocument(DataManifest, oid, "data/manifest.json", ref);
  const params = await ws.readDocument(TrainingParameters, oid, "params.json", ref);
  const metrics = await ws.readDocument(RunMetrics, oid, "metrics.json", ref);
  const modelText = await ws.readText(oid, "model.json", { maxBytes: MODEL_JSON_LIMITS.maxChars });
  if (!manifest || !params || !modelText) {
    throw new DwError(
      "NOT_FOUND",
      `Run '${runId}' has no drift reference and lacks what it takes to build one (data/manifest.json, params.json, model.json).`,
      {
        hint: "Pass baseline_dataset_id to compare with a dataset, or train the model again.",
        details: { field, run_id: runId },
      },
    );
  }
  const ds = await readCachedDataset(ws, { sha256: manifest.sha256, source: manifest.source, format: manifest.format, delimiter: manifest.delimiter }).catch(
    (e: unknown) => {
      if (isDwError(e) && e.code === "NOT_FOUND") {
        throw new DwError(
          "NOT_FOUND",
          `Run '${runId}' was trained before dw stored drift references, and the data to build one from is missing: ${e.message}`,
          {
            hint: `${e.hint ? `${e.hint} ` : ""}Or pass baseline_dataset_id (the training data, loaded again with load_dataset), or train the model again: new runs store their reference.`,
            details: { field, run_id: runId, sha256: manifest.sha256 },
          },
        );
      }
      throw e;
    },
  );
  const model = loadModel(modelText, `model.json of run '${runId}'`);
  const { confusion_matrix: _, ...numbers } = metrics ?? {};
  const built = buildDriftReference({
    runId,
    ds,
    data: { dataset_id: manifest.dataset_id, sha256: manifest.sha256 },
    model,
    performance: { evaluation: params.cv_folds ? "kfold" : "holdout", metrics: numbers as Record<string, number> },
    seed: params.seed,
  });
  return { ...built.loaded, origin: "rebuilt" };
}
