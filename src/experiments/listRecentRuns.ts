import type { Workspace } from "../workspace/Workspace.js";
import { DwError } from "../errors/DwError.js";
import { RUN_ID, runRef } from "../runs/runId.js";
import type { RunSummary } from "../runs/RunSummary.js";
import { readRunSummary } from "../runs/readRunSummary.js";
import { listRunIds } from "../runs/listRunIds.js";
import { listModels, readRegistration } from "../registry/readRegistry.js";
import { modelVersionRef } from "../registry/refs.js";

/** How many runs list_runs gives by default, and at most. */
export const RUNS_LISTED = { default: 20, max: 200 } as const;

/**
 * The newest runs of the workspace, newest first, each as a RunSummary: what it trained, its
 * headline metric, its gates and override, the registered versions made from it, its commit and
 * the notebook cell that made it. With `model`, only runs registered as versions of that model
 * (NOT_FOUND when no such model is registered).
 *
 * Made to be asked every few seconds: it lists the run refs (listRunIds; their ids sort by time, so only the
 * newest `limit` runs are read), reads each of those from its run commit once (kept by commit
 * oid: see readRunSummary), and the registry's registrations once each (kept by commit oid).
 *
 * @example
 * ```ts
 * const runs = await listRecentRuns(ws, { limit: 20 });
 * runs[0].metric; // { name: "r2", value: 0.83, higher_is_better: true }
 * ```
 */
export async function listRecentRuns(ws: Workspace, options: { limit?: number; model?: string } = {}): Promise<RunSummary[]> {
  const limit = options.limit ?? RUNS_LISTED.default;
  if (!Number.isInteger(limit) || limit < 1 || limit > RUNS_LISTED.max) {
    throw new DwError("INVALID_INPUT", `limit must be a whole number from 1 to ${RUNS_LISTED.max}; got ${limit}.`, {
      hint: `e.g. --limit ${RUNS_LISTED.default}`,
      details: { field: "limit" },
    });
  }
  const registered = await registeredRuns(ws);
  let ids: string[];
  if (options.model !== undefined) {
    const model = options.model;
    const versions = registered.byModel.get(model);
    if (!versions) {
      const known = [...registered.byModel.keys()].sort();
      throw new DwError("NOT_FOUND", `No registered model '${model}' in this workspace.`, {
        hint: known.length ? `Registered models: ${known.join(", ")}.` : "Register a run first: %dw register_model <run_id> --model_name <name>",
        details: { field: "model" },
      });
    }
    ids = [...new Set(versions)].filter((id) => RUN_ID.test(id));
  } else {
    ids = await listRunIds(ws);
  }
  ids.sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  // Ids have whole seconds: runs of the same second as the last one listed are read too, and
  // their order within the second comes from run.json's created_at.
  let end = Math.min(limit, ids.length);
  const second = (id: string) => id.slice(0, 15);
  while (end > 0 && end < ids.length && second(ids[end]) === second(ids[end - 1])) end++;

  const out: RunSummary[] = [];
  for (const id of ids.slice(0, end)) {
    const oid = await ws.readRef(runRef(id));
    if (!oid) continue; // deleted since the listing
    const summary = await readRunSummary(ws, id, oid);
    out.push({ ...summary, registered: registered.byRun.get(id) ?? [] });
  }
  out.sort((a, b) => compareDesc(a.created_at, b.created_at) || compareDesc(a.run_id, b.run_id));
  return out.slice(0, limit);
}

const compareDesc = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

/** The registered versions by run id (in model then version order) and the run ids by model. */
async function registeredRuns(ws: Workspace): Promise<{ byRun: Map<string, { model: string; version: number }[]>; byModel: Map<string, string[]> }> {
  const byRun = new Map<string, { model: string; version: number }[]>();
  const byModel = new Map<string, string[]>();
  const models = [...(await listModels(ws))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [model, versions] of models) {
    const runs: string[] = [];
    for (const version of versions) {
      const runId = await registeredRun(ws, model, version);
      if (runId === undefined) continue;
      runs.push(runId);
      const list = byRun.get(runId) ?? [];
      list.push({ model, version });
      byRun.set(runId, list);
    }
    byModel.set(model, runs);
  }
  return { byRun, byModel };
}

/** Run id by registration commit: a commit never changes, so each is read once. */
const registrationRuns = new Map<string, string>();
const REGISTRATIONS_KEPT = 8192;

/** The run a version was registered from; undefined when its ref or registration is missing or damaged (listings skip those). */
async function registeredRun(ws: Workspace, model: string, version: number): Promise<string | undefined> {
  const commit = await ws.readRef(modelVersionRef(model, version)).catch(() => null);
  if (!commit) return undefined;
  const key = `${ws.gitdir}\0${commit}`;
  const kept = registrationRuns.get(key);
  if (kept !== undefined) return kept;
  const reg = await readRegistration(ws, commit);
  // Not kept when unreadable: the commit's objects may still be arriving (a pull under way).
  if (!reg || reg.model_name !== model || reg.version !== version) return undefined;
  if (registrationRuns.size >= REGISTRATIONS_KEPT) registrationRuns.delete(registrationRuns.keys().next().value!);
  registrationRuns.set(key, reg.run_id);
  return reg.run_id;
}
