import { createHash } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { DwError } from "../errors/DwError.js";
import type { DomainContext } from "../workspace/DomainContext.js";
import type { Workspace } from "../workspace/Workspace.js";
import { MODEL_JSON_LIMITS } from "../models/modelJsonLimits.js";
import { loadModel } from "../models/scoreModel.js";
import type { ModelJson } from "../models/ModelJson.js";
import { DataManifest, RunMetrics, RunRecord, TrainingParameters } from "../runs/RunRecord.js";
import { resolveReproduceTarget, type ReproduceTarget } from "./resolveReproduceTarget.js";
import { locateRunData } from "./locateRunData.js";
import { rebuildModel, type RebuiltModel } from "./rebuildModel.js";
import { jsonDifferences } from "./jsonDifferences.js";
import { modelDifferenceMessage } from "./modelDifferenceMessage.js";
import { parameterDifferences } from "./parameterDifferences.js";
import { environmentChanges } from "./environmentChanges.js";
import type { Difference, MetricComparison, ReproduceOutcome } from "./ReproduceOutcome.js";
import { IN_DATABASE_PATH } from "../training/inDatabase/InDatabaseRun.js";

/** Where a run commit keeps the environment it was trained in (written since issue 17). */
export const ENVIRONMENT_PATH = "execution/environment.json";

/** This process's environment, in execution/environment.json's shape; passed in so the domain does not depend on who computes it. */
export type CurrentEnvironment = () => Promise<unknown>;

/**
 * Rebuilds a run's model from its commit alone and says whether it is the same: params.json, the
 * data by its content hash (locateRunData), the named pipeline and the seed, trained exactly as
 * train_model trained (rebuildModel) with the stored run id and time; then model.json compared
 * byte for byte (sha256) and every metric to the last bit. When anything differs, says what:
 * an edited parameter, the first differing value of each part of model.json (tree and node,
 * coefficient and feature, pipeline step), a metric, the data, and the environment changes since
 * the run (execution/environment.json) that may explain it. Writes nothing.
 *
 * @example
 * ```ts
 * const r = await reproduceRun(ctx, "temp@production", currentEnvironment);
 * r.identical; // true
 * r.verdict;   // "Same bytes: model.json sha256 3f9a…, 4 metrics equal to the last digit."
 * ```
 */
export async function reproduceRun(ctx: DomainContext, modelId: string, current: CurrentEnvironment): Promise<ReproduceOutcome> {
  const ws = ctx.workspace;
  const target = await resolveReproduceTarget(ws, modelId);
  const stored = await readStored(ws, target);
  // A run trained inside a database has no data file: its SQL runs again, compared within its tolerance.
  const inDatabase = await ws.readText(target.commit, IN_DATABASE_PATH, { maxBytes: 1 << 22 });
  if (inDatabase !== null) {
    const { reproduceInDatabase } = await import("./reproduceInDatabase.js");
    return reproduceInDatabase(
      ctx,
      { ...stored, runId: target.runId, commit: target.commit, label: target.label, recordText: inDatabase, createdAt: stored.identity.createdAt },
      await environmentOf(stored.environment, current),
    );
  }
  const data = await locateRunData(ws, stored.manifest, target.label);
  const rebuilt = await rebuildModel(ctx, stored.params, data, stored.identity);

  const storedSha = sha256(stored.modelText);
  const rebuiltSha = sha256(rebuilt.modelText);
  const sameBytes = stored.modelText === rebuilt.modelText;
  const metrics = compareMetrics(stored.metrics, rebuilt.metrics);
  const sameConfusion = isDeepStrictEqual(stored.metrics.confusion_matrix, rebuilt.confusion);
  const identical = sameBytes && sameConfusion && metrics.every((m) => m.equal);

  const env = await environmentOf(stored.environment, current);
  const differences: Difference[] = [...parameterDifferences(stored.params, stored.run?.parameters, stored.model)];
  const pipeline = stored.params.pipeline;
  if (pipeline && rebuilt.pipelineCommit !== pipeline.commit) {
    differences.push({
      kind: "parameter",
      path: "pipeline.commit",
      stored: pipeline.commit,
      rebuilt: rebuilt.pipelineCommit,
      message: `Feature pipeline '${pipeline.name}' v${pipeline.version} is now commit ${String(rebuilt.pipelineCommit).slice(0, 12)}, but the run used commit ${pipeline.commit.slice(0, 12)}: the pipeline's history was rewritten (a pull or a hand edit), and the rebuild used the version as it is now.`,
    });
  }
  const trainedOn = stored.json.training_data.sha256;
  if (trainedOn !== stored.manifest.sha256) {
    differences.push({
      kind: "data",
      path: "training_data.sha256",
      stored: trainedOn,
      rebuilt: stored.manifest.sha256,
      message: `model.json records training data of sha256 ${trainedOn}, but data/manifest.json names ${stored.manifest.sha256}: the rebuild used the manifest's.`,
    });
  }
  if (!sameBytes) differences.push(...modelDifferences(stored.model, stored.json, rebuilt));
  for (const m of metrics.filter((m) => !m.equal)) {
    differences.push({ kind: "metric", path: m.name, stored: m.stored, rebuilt: m.rebuilt, message: `${m.name}: stored ${m.stored}, rebuilt ${m.rebuilt}.` });
  }
  if (!sameConfusion) {
    differences.push({
      kind: "metric",
      path: "confusion_matrix",
      stored: stored.metrics.confusion_matrix,
      rebuilt: rebuilt.confusion,
      message: "The confusion matrix on the held-out rows differs.",
    });
  }
  if (!identical) {
    for (const c of env.changes) {
      differences.push({
        kind: "environment",
        path: c.field,
        stored: c.stored,
        rebuilt: c.current,
        message: `The run was trained with ${c.field} ${JSON.stringify(c.stored)}; this machine has ${JSON.stringify(c.current)}: a different runtime can round floating point differently.`,
      });
    }
  }
  const verdict = identical
    ? `Same bytes: model.json sha256 ${storedSha}, ${metrics.length} metrics equal to the last digit${stored.metrics.confusion_matrix ? " and the confusion matrix the same" : ""}.`
    : `Not the same: ${differences.length} difference${differences.length === 1 ? "" : "s"}; first: ${differences[0]?.message ?? "model.json differs."}`;
  return {
    identical,
    verdict,
    run_id: target.runId,
    commit: target.commit,
    model_json: {
      stored_sha256: storedSha,
      rebuilt_sha256: rebuiltSha,
      bytes: Buffer.byteLength(stored.modelText),
      rebuilt_bytes: Buffer.byteLength(rebuilt.modelText),
    },
    metrics,
    differences,
    data: { dataset_id: stored.manifest.dataset_id, sha256: stored.manifest.sha256, found_in: data.foundIn, source: stored.manifest.source },
    environment: env,
  };
}

/** What the commit holds: parameters, data manifest, model.json (validated as any model is loaded), metrics, run.json and the environment. */
async function readStored(ws: Workspace, target: ReproduceTarget) {
  const { commit, label } = target;
  const ref = `${label} (commit ${commit.slice(0, 10)})`;
  const need = <T>(v: T | null, file: string): T => {
    if (v !== null) return v;
    throw new DwError("DATA_ERROR", `${label} has no ${file}: it cannot be reproduced from its commit.`, {
      hint: "Only runs that train_model wrote (with params.json, data/manifest.json and model.json) can be reproduced.",
      details: { field: "model_id", commit, file },
    });
  };
  const params = need(await ws.readDocument(TrainingParameters, commit, "params.json", ref), "params.json");
  const manifest = need(await ws.readDocument(DataManifest, commit, "data/manifest.json", ref), "data/manifest.json");
  const metrics = need(await ws.readDocument(RunMetrics, commit, "metrics.json", ref), "metrics.json");
  const run = await ws.readDocument(RunRecord, commit, "run.json", ref);
  const modelText = need(await ws.readText(commit, "model.json", { maxBytes: MODEL_JSON_LIMITS.maxChars }), "model.json");
  // Validated as every model is loaded (sizes, nesting, numbers), so the comparison walks a bounded document.
  const { json } = loadModel(modelText, `model.json of ${label}`);
  // The raw document too: the comparison walks what the file holds, keys in its order.
  const model: Record<string, unknown> = JSON.parse(modelText);
  const createdAt = new Date(json.created_at);
  if (Number.isNaN(createdAt.getTime())) {
    throw new DwError("DATA_ERROR", `model.json of ${label} has created_at ${JSON.stringify(json.created_at)}, which is not a time.`, {
      details: { field: "model_id", commit, file: "model.json", path: "created_at" },
    });
  }
  const environment = await ws.readText(commit, ENVIRONMENT_PATH, { maxBytes: 1 << 20 });
  const stopAfter = budgetStop(json);
  const identity = { runId: json.run_id, createdAt, ...(stopAfter !== undefined ? { stopAfter } : {}) };
  return { params, manifest, metrics, run, modelText, model, json, environment, identity };
}

/**
 * The trees (forest) or iterations (boosting) a run kept when its time budget ended the fit, which
 * the stored model says with stoppedEarly; undefined when the fit ran to the end.
 */
function budgetStop(json: ModelJson): number | undefined {
  const p = json.params;
  if (p.kind === "random_forest" && p.model.stoppedEarly) return p.model.trees.length;
  if (p.kind === "gradient_boosting" && p.model.stoppedEarly) return p.model.nIter;
  return undefined;
}

/** One entry per metric either side has, in the stored order; equal means the same float64 (Object.is). */
function compareMetrics(stored: RunMetrics, rebuilt: Record<string, number>): MetricComparison[] {
  const names = [...new Set([...Object.keys(stored).filter((k) => k !== "confusion_matrix"), ...Object.keys(rebuilt)])];
  return names.map((name) => {
    const s = stored[name];
    const a = typeof s === "number" ? s : null;
    const b = name in rebuilt ? rebuilt[name] : null;
    return { name, stored: a, rebuilt: b, equal: a !== null && b !== null && Object.is(a, b) };
  });
}

/** The first difference of each part of model.json, named (tree and node, coefficient and feature, pipeline step). */
function modelDifferences(stored: Record<string, unknown>, json: ModelJson, rebuilt: RebuiltModel): Difference[] {
  const other: Record<string, unknown> = JSON.parse(rebuilt.modelText);
  const p = json.params;
  const names = {
    feature_names: json.preprocessing.feature_names,
    steps: json.preprocessing.steps,
    classes: json.classes,
    kind: p.kind,
    nClasses: p.kind === "linear_regression" ? 0 : p.model.nClasses,
  };
  const found = jsonDifferences(stored, other, ["params", "params.model"]).map(
    (d): Difference => ({
      kind: "model",
      path: d.path,
      stored: cut(d.stored),
      rebuilt: cut(d.rebuilt),
      count: d.count,
      message: modelDifferenceMessage(d, names),
    }),
  );
  // Same values but other bytes (key order, number spelling): still a difference of the file.
  return found.length
    ? found
    : [{ kind: "model", path: "model.json", message: "model.json holds the same values but not the same bytes (key order or number spelling)." }];
}

async function environmentOf(text: string | null, current: CurrentEnvironment): Promise<ReproduceOutcome["environment"]> {
  if (text === null) return { recorded: false, same: true, changes: [] };
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch {
    return { recorded: true, same: false, changes: [{ field: ENVIRONMENT_PATH, stored: "(not valid JSON)", current: null }] };
  }
  const { changes, more } = environmentChanges(stored, await current());
  const listed = more ? [...changes, { field: `(${more} more fields)`, stored: null, current: null }] : changes;
  return { recorded: true, same: changes.length === 0, changes: listed };
}

function cut(v: unknown): unknown {
  if (v === null || typeof v !== "object") return typeof v === "string" && v.length > 200 ? `${v.slice(0, 199)}…` : v;
  const text = JSON.stringify(v);
  return text.length > 200 ? `${text.slice(0, 199)}…` : v;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
