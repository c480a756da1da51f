import { DwError } from "../errors/DwError.js";
import { exampleRow } from "../models/exampleRow.js";
import type { ModelJson } from "../models/ModelJson.js";
import { MODEL_JSON_LIMITS } from "../models/modelJsonLimits.js";
import { loadModel, scoreModel, type LoadedModel } from "../models/scoreModel.js";
import { readRegistration, resolveAlias } from "../registry/readRegistry.js";
import { modelVersionRef } from "../registry/refs.js";
import { ALIAS_RULE, MODEL_NAME_RULE, isAlias, isModelName } from "../workspace/refNames.js";
import type { Workspace } from "../workspace/Workspace.js";
import { SCORE_MAX_ROWS } from "./scoreMaxRows.js";

// Defined in scoreMaxRows.ts (import-free, for predict's schema); exported here too.
export { SCORE_MAX_ROWS };

export interface ScoredRows {
  model: string;
  version: number;
  /** The alias named, when the model was named by one. */
  alias?: string;
  task: ModelJson["task"];
  target: string;
  /** The model's input signature, in its order: one form field per input. */
  inputs: ModelJson["signature"]["inputs"];
  /** One plausible row (each numeric input's training median, a known category, …), by input name. */
  example: Record<string, unknown>;
  /** The rows scored, by input name (the example when none were given). */
  rows: Record<string, unknown>[];
  /** One prediction per row: a class label for a classifier, a number for a regression. */
  predictions: unknown[];
}

/** Loaded models by registration commit (a commit never changes): the sidebar's Try it scores one model many times. */
const loaded = new Map<string, LoadedModel>();
const LOADED_KEPT = 8;

/**
 * Scores rows with a registered version as dw serve does (the same model.json, loaded and checked
 * the same way, the same signature casts and imputation), without a server and without logging
 * the rows as traffic: `modelId` is `name@alias` (the version the alias serves) or `name/version`.
 * With no rows it scores the model's example row, so a caller learns the inputs, a row to start
 * from and its prediction in one call. A row lacking an input is INVALID_INPUT naming the row and
 * the input; inputs the model does not take are ignored, as MLflow's scoring does.
 *
 * @example
 * ```ts
 * const { inputs, predictions } = await scoreRegisteredModel(ws, "temp@production", [{ precipitation: 0, temp_min: 5, wind: 3 }]);
 * ```
 */
export async function scoreRegisteredModel(ws: Workspace, modelId: string, rows?: readonly Record<string, unknown>[]): Promise<ScoredRows> {
  const { model, version, alias, commit } = await locate(ws, modelId.trim());
  const loadedModel = await load(ws, model, version, commit);
  const json = loadedModel.json;
  const inputs = json.signature.inputs;
  const example = Object.fromEntries(exampleRow(json).map((v, i) => [inputs[i].name, v]));
  const given = rows ?? [example];
  if (given.length > SCORE_MAX_ROWS) {
    throw new DwError("INVALID_INPUT", `${given.length} rows were given; at most ${SCORE_MAX_ROWS} are scored in one call.`, {
      hint: `Send larger batches to the endpoint (dw serve's /models/${model}@<alias>/invocations) or score them with evaluate_model on a dataset.`,
      details: { field: "rows" },
    });
  }
  given.forEach((row, i) => {
    const missing = inputs.filter((f) => !Object.hasOwn(row, f.name)).map((f) => f.name);
    if (missing.length) {
      throw new DwError("INVALID_INPUT", `rows[${i}] lacks the input(s) ${missing.map((m) => `'${m}'`).join(", ")} of ${model} v${version}.`, {
        hint: `Give every input: ${inputs.map((f) => `${f.name} (${f.type})`).join(", ")}; null for a missing value, which is imputed as in training.`,
        details: { field: `rows[${i}]`, missing },
      });
    }
  });
  const columns = inputs.map((f) => f.name);
  const predictions = scoreModel(loadedModel, {
    rows: given.length,
    has: (column) => columns.includes(column),
    value: (column) => (row) => given[row][column] ?? undefined,
    where: (row) => `rows[${row}]`,
  });
  return {
    model,
    version,
    ...(alias !== undefined ? { alias } : {}),
    task: json.task,
    target: json.target,
    inputs,
    example,
    rows: given.map((row) => Object.fromEntries(columns.map((c) => [c, row[c] ?? null]))),
    predictions,
  };
}

async function locate(ws: Workspace, id: string): Promise<{ model: string; version: number; alias?: string; commit: string }> {
  const at = /^([^@/]+)@([^@/]+)$/.exec(id);
  const slash = /^([^@/]+)\/(\d{1,9})$/.exec(id);
  const name = at?.[1] ?? slash?.[1];
  if (!name) {
    throw new DwError("INVALID_INPUT", `model_id '${id}' names no registered version.`, {
      hint: "Pass model_id as name@alias (e.g. temp@production) or name/version (e.g. temp/3).",
      details: { field: "model_id" },
    });
  }
  if (!isModelName(name)) {
    throw new DwError("INVALID_INPUT", `'${name}' in model_id is not a valid model name.`, { hint: `Use ${MODEL_NAME_RULE}.`, details: { field: "model_id" } });
  }
  if (at) {
    const alias = at[2];
    if (!isAlias(alias))
      throw new DwError("INVALID_INPUT", `'${alias}' in model_id is not a valid alias.`, { hint: `Use ${ALIAS_RULE}.`, details: { field: "model_id" } });
    const served = await resolveAlias(ws, name, alias);
    if (!served) {
      throw new DwError("NOT_FOUND", `${name}@${alias} names no version.`, {
        hint: `See the aliases with: %dw get_model_versions ${name}`,
        details: { field: "model_id" },
      });
    }
    return { model: name, version: served.version, alias, commit: served.commit };
  }
  const version = Number(slash?.[2]);
  const commit = await ws.readRef(modelVersionRef(name, version));
  if (!commit) {
    throw new DwError("NOT_FOUND", `Model '${name}' has no version ${version}.`, {
      hint: `See its versions with: %dw get_model_versions ${name}`,
      details: { field: "model_id" },
    });
  }
  return { model: name, version, commit };
}

async function load(ws: Workspace, model: string, version: number, commit: string): Promise<LoadedModel> {
  const key = `${ws.gitdir}\0${commit}`;
  const hit = loaded.get(key);
  if (hit) return hit;
  const registration = await readRegistration(ws, commit);
  if (!registration || registration.model_name !== model || registration.version !== version) {
    throw new DwError("DATA_ERROR", `${modelVersionRef(model, version)} does not hold a registration of ${model} v${version}.`, {
      hint: `Inspect it with: git show ${modelVersionRef(model, version)}`,
      details: { ref: modelVersionRef(model, version) },
    });
  }
  const text = await ws.readText(commit, "model.json", { maxBytes: MODEL_JSON_LIMITS.maxChars });
  if (text === null) throw new DwError("DATA_ERROR", `${model} v${version} has no model.json (${modelVersionRef(model, version)}).`);
  const m = loadModel(text, `model.json of ${model} v${version}`);
  if (loaded.size >= LOADED_KEPT) loaded.delete(loaded.keys().next().value!);
  loaded.set(key, m);
  return m;
}
