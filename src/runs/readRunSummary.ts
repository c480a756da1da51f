import { z } from "zod";
import type { Workspace } from "../workspace/Workspace.js";
import { GateReport, worstStatus } from "../policy/GateReport.js";
import { GateOverrideRecord } from "../policy/GateOverrideRecord.js";
import { RunRecord } from "./RunRecord.js";
import type { RunGateVerdict, RunSummary } from "./RunSummary.js";
import { runRef } from "./runId.js";

/** A run's summary without its registrations, which live in the registry, not in the run commit. */
export type RunCommitSummary = Omit<RunSummary, "registered">;

const GATES = ["quality", "governance", "cost"] as const;

/** run.json's origin fields the summary shows; written by writeRun, absent in older runs. */
const OriginFields = z.looseObject({
  via: z.string(),
  notebook_path: z.string().optional(),
  cell_id: z.string().optional(),
});

/**
 * Summaries by run commit. A commit never changes, so a summary read once is kept: the sidebar
 * asks for the newest runs every few seconds, and only a run that changed (log_metrics adds a
 * commit) or is new is read again. Bounded; the oldest entry goes first.
 */
const kept = new Map<string, Promise<RunCommitSummary>>();
const KEPT = 2048;

/**
 * The summary of one run commit, as list_runs shows it: read from run.json, the gate reports
 * (gates/quality.json, governance.json, cost.json) and gates/override.json of that commit, and
 * nothing else (no model, no data). A run whose run.json is missing or damaged is still listed,
 * with placeholders and an `error` saying what is wrong; a damaged gate file is named in `error`
 * and the rest of the run is shown.
 *
 * @example
 * ```ts
 * const oid = await ws.readRef(runRef(runId));
 * const summary = oid && (await readRunSummary(ws, runId, oid));
 * ```
 */
export function readRunSummary(ws: Workspace, runId: string, oid: string): Promise<RunCommitSummary> {
  const key = `${ws.gitdir}\0${oid}`;
  let summary = kept.get(key);
  if (!summary) {
    summary = summarize(ws, runId, oid);
    if (kept.size >= KEPT) kept.delete(kept.keys().next().value!);
    kept.set(key, summary);
    // A run with an error is read again next time: the cause may pass (a pull under way, the disk).
    summary.then(
      (s) => s.error !== undefined && kept.delete(key),
      () => kept.delete(key),
    );
  }
  return summary;
}

async function summarize(ws: Workspace, runId: string, oid: string): Promise<RunCommitSummary> {
  const ref = runRef(runId);
  const errors: string[] = [];
  let run: RunRecord | null = null;
  try {
    run = await ws.readDocument(RunRecord, oid, "run.json", ref);
    if (!run) errors.push(`${ref} has no run.json; it was not written by dw.`);
  } catch (e) {
    errors.push(messageOf(e));
  }
  const gates: RunGateVerdict[] = [];
  for (const gate of GATES) {
    try {
      const report = await ws.readDocument(GateReport, oid, `gates/${gate}.json`, ref);
      if (report) gates.push({ gate, status: report.status, summary: report.summary });
    } catch (e) {
      errors.push(messageOf(e));
    }
  }
  let override: GateOverrideRecord | null = null;
  try {
    override = await ws.readDocument(GateOverrideRecord, oid, "gates/override.json", ref);
  } catch (e) {
    errors.push(messageOf(e));
  }
  const worst = gates.length === 0 ? "none" : worstStatus(gates.map((g) => g.status));
  const origin = OriginFields.safeParse(run?.origin);
  return {
    run_id: runId,
    created_at: run?.created_at ?? createdFromId(runId),
    algorithm: run?.algorithm ?? "",
    task: run?.task ?? "",
    target: run?.target ?? "",
    data: { dataset_id: run?.data.dataset_id ?? "", sha256: run?.data.sha256 ?? "", rows: Math.trunc(run?.data.rows ?? 0) },
    metric: run ? headlineMetric(run.task, run.metrics) : null,
    metrics: run?.metrics ?? {},
    gates,
    gate_status: worst === "fail" && override ? "overridden" : worst,
    ...(override ? { override: { by: override.by, reason: override.reason, at: override.at } } : {}),
    commit: oid,
    origin: origin.success
      ? {
          via: origin.data.via,
          ...(origin.data.notebook_path !== undefined ? { notebook_path: origin.data.notebook_path } : {}),
          ...(origin.data.cell_id !== undefined ? { cell_id: origin.data.cell_id } : {}),
        }
      : { via: "unknown" },
    ...(errors.length ? { error: errors.join(" ") } : {}),
  };
}

/** r2 for a regression, accuracy for a classification (the first of them the run has when its task is neither). */
function headlineMetric(task: string, metrics: Record<string, number>): RunSummary["metric"] {
  const order = task === "classification" ? ["accuracy"] : task === "regression" ? ["r2"] : ["r2", "accuracy"];
  const name = order.find((m) => Number.isFinite(metrics[m]));
  return name === undefined ? null : { name, value: metrics[name], higher_is_better: true };
}

/** The time a run id carries (20261128-031502-a1b2c3 → 2026-11-28T03:15:02.000Z), for a run whose run.json cannot be read. */
function createdFromId(runId: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-/.exec(runId);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z` : "";
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
