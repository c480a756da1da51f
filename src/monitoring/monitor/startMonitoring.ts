import type { Workspace } from "../../workspace/Workspace.js";
import { commitMessage } from "../../workspace/commitMessage.js";
import { documentText } from "../../workspace/documentText.js";
import { resolveAlias } from "../../registry/readRegistry.js";
import { readMonitoringPolicy } from "../monitoringPolicy.js";
import { MonitoringRecord, type MonitoringSchedule, monitoringRef } from "./MonitoringRecord.js";

/** Monitoring as it stands after a start: the record committed, its commit and the ref. */
export interface MonitoringStart {
  record: MonitoringRecord;
  commit: string;
  ref: string;
}

/**
 * Starts drift monitoring of what an alias serves: a commit "monitoring started for version V" on
 * refs/dw/monitoring/<name>/<alias> (parent: the previous monitoring commit) whose monitoring.json
 * holds the policy's drift schedule. The version is the one the alias serves now (read here, under
 * the caller's lock), so a deploy that was overtaken by another starts the newer one. When that
 * version is monitored already (a redeploy of it), its checks, last check and any alert carry
 * over, so redeploying does not hide drift; a new version starts afresh, and the server's checks
 * then count only rows that version answered. Null when the alias serves nothing. Call under the
 * workspace lock. `schedule` is the policy's unless given (a caller that must not fail after
 * changing something reads it first with policySchedule: a broken policy is a CONFIG_ERROR).
 *
 * @example
 * ```ts
 * const started = await ws.withLock(() => startMonitoring(ws, { model: "temp", alias: "production", now: new Date(), reason: "deploy_model" }));
 * started?.record.schedule.every_requests; // 1000 unless dw.policy.yaml says otherwise
 * ```
 */
export async function startMonitoring(
  ws: Workspace,
  args: { model: string; alias: string; now: Date; reason: string; schedule?: MonitoringSchedule },
): Promise<MonitoringStart | null> {
  const served = await resolveAlias(ws, args.model, args.alias);
  if (!served) return null;
  const ref = monitoringRef(args.model, args.alias);
  const previous = await ws.readRef(ref);
  const before = previous ? await ws.readDocument(MonitoringRecord, previous, "monitoring.json", ref).catch(() => null) : null;
  const schedule = args.schedule ?? (await policySchedule(ws));
  const same = before?.version === served.version ? before : null;
  const record: MonitoringRecord = {
    event: "started",
    model: args.model,
    alias: args.alias,
    version: served.version,
    started_at: same?.started_at ?? args.now.toISOString(),
    reason: same ? `${args.reason}: v${served.version} was monitored already; its checks and alert go on` : args.reason,
    schedule,
    checks: same?.checks ?? 0,
    // A stored last check without a commit is the one that held it, which is `previous`.
    last_check: same?.last_check ? { ...same.last_check, commit: same.last_check.commit ?? previous } : null,
    alert: same?.alert ?? null,
  };
  const message = commitMessage(
    `dw monitoring ${args.model}@${args.alias}: monitoring started for version ${served.version}`,
    [
      record.reason,
      `Drift checks every ${schedule.every_requests} logged rows or ${schedule.every_minutes} minutes (with at least ${schedule.min_rows} new rows), on the newest ${schedule.window_rows}.`,
    ],
    { "Dw-Model": args.model, "Dw-Version": served.version, "Dw-Alias": args.alias },
  );
  const commit = await ws.commit({ ref, message, parents: previous ? [previous] : [], files: { "monitoring.json": documentText(record) }, now: args.now });
  return { record, commit, ref };
}

/** The drift schedule of the workspace's policy (its defaults when the policy file says nothing). */
export async function policySchedule(ws: Workspace): Promise<MonitoringSchedule> {
  const { drift } = (await readMonitoringPolicy(ws)).policy;
  return { every_requests: drift.every_requests, every_minutes: drift.every_minutes, window_rows: drift.window_rows, min_rows: drift.min_rows };
}
