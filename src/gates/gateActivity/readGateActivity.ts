import type { Workspace } from "../../workspace/Workspace.js";
import type { ApprovalEvent, GateActivity, GateEvent, OverrideEvent } from "../../policy/GateActivity.js";
import { modelVersionRef } from "../../registry/refs.js";
import { isModelName } from "../../workspace/refNames.js";
import { readApprovals } from "../../governance/review/readApprovals.js";
import { scanGateRecords } from "./scanGateRecords.js";

/** GateActivity with what was left out past the limit and what could not be read. */
export interface GateActivityRead extends GateActivity {
  omitted: { overrides: number; approvals: number };
  problems: string[];
}

/**
 * The gates as a team sees them: the newest report of each gate (quality, governance, cost) among
 * every run and deployment commit, the overrides (failed gates let through with a reason, at
 * training or at deployment), and where approvals stand (the newest review or request of each
 * version and alias). Overrides and approvals are newest first, at most `limit` of each; `omitted`
 * counts the rest. Records are read once and kept by commit (scanGateRecords, readApprovals).
 *
 * @example
 * ```ts
 * const a = await readGateActivity(ws, { limit: 50 });
 * a.approvals.filter((x) => x.state === "requested"); // waiting for a reviewer
 * ```
 */
export async function readGateActivity(ws: Workspace, options: { limit: number }): Promise<GateActivityRead> {
  const records = await scanGateRecords(ws);
  const newest = new Map<string, GateEvent>();
  const overrides: OverrideEvent[] = [];
  for (const c of records.commits) {
    for (const r of c.reports) {
      const seen = newest.get(r.gate);
      if (!seen || r.checked_at > seen.checked_at) newest.set(r.gate, r);
    }
    if (c.override) overrides.push(c.override);
  }
  const approvals = await readAllApprovals(ws);
  const latest = [...newest.values()].sort(byTime((r) => r.checked_at));
  overrides.sort(byTime((o) => o.at));
  approvals.sort(byTime((a) => a.at));
  return {
    latest,
    overrides: overrides.slice(0, options.limit),
    approvals: approvals.slice(0, options.limit),
    omitted: { overrides: Math.max(0, overrides.length - options.limit), approvals: Math.max(0, approvals.length - options.limit) },
    problems: records.problems,
  };
}

/** The approvals of every version that has a review chain, for the registration its version ref names now. */
export async function readAllApprovals(ws: Workspace): Promise<ApprovalEvent[]> {
  const out: ApprovalEvent[] = [];
  for (const name of await ws.listRefs("refs/dw/reviews")) {
    const [model, v, more] = name.split("/");
    if (!model || more !== undefined || !isModelName(model) || !/^[1-9][0-9]{0,9}$/.test(v ?? "")) continue;
    const version = Number(v);
    const registration = await ws.readRef(modelVersionRef(model, version)).catch(() => null);
    if (registration) out.push(...(await readApprovals(ws, model, version, registration)));
  }
  return out;
}

/** Newest first by an ISO time; equal times keep the scan's order (refs by name), as sort is stable. */
function byTime<T>(at: (x: T) => string): (a: T, b: T) => number {
  return (a, b) => (at(a) < at(b) ? 1 : at(a) > at(b) ? -1 : 0);
}
