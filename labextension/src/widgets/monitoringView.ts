import type { EndpointMonitoring, RetrainResult } from "../../../src/comm/protocol.js";
import type { RetrainActivity } from "../tokens.js";
import { formatMetric } from "./formatMetric.js";

/** An endpoint's drift badge: red while the last check found drift (with the columns), green when it found none, grey before any check. */
export interface MonitoringView {
  state: "drift" | "ok" | "waiting" | "off";
  /** The badge's words: `drift`, `no drift`, `waiting for data`, `not monitored`. */
  badge: string;
  /** The monitoring state in a sentence (get_ml_status's note). */
  title: string;
  /** The features that drifted in the last check (empty unless `state` is drift). */
  columns: string[];
  /** The last check in a line: when, on how many rows, the share of features drifted; empty before any. */
  detail: string;
  /** A running A/B test in a line (`A/B test: v1 50% · v2 50% on accuracy`); empty when none runs. */
  abTest: string;
}

/** What the endpoint shows of a retraining started from the sidebar. */
export interface RetrainView {
  state: "running" | "done" | "failed";
  /** The headline: `retraining… fitting`, `new run 2026…: candidate better`, `retrain failed`. */
  headline: string;
  /** Further lines: the run's metrics, the comparison, an error's hint. */
  lines: string[];
  /** What to do next, as %dw lines to copy (done only). */
  next: string[];
  /** The new run's id (done only). */
  runId?: string;
  verdict?: string;
}

const BADGES: Record<MonitoringView["state"], string> = { drift: "drift", ok: "no drift", waiting: "waiting for data", off: "not monitored" };

/** The badge for an endpoint's monitoring as get_ml_status reported it; null when the kernel sent none (an older kernel, or a status it could not read). */
export function monitoringView(entry: EndpointMonitoring | undefined): MonitoringView | null {
  if (!entry) return null;
  const m = entry.monitoring;
  const state: MonitoringView["state"] = m.state === "drift" ? "drift" : m.state === "ok" ? "ok" : m.state === "waiting_for_data" ? "waiting" : "off";
  const check = m.last_check;
  const columns = state === "drift" ? (m.alert?.columns ?? check?.drifted_columns ?? []) : [];
  const prediction = state === "drift" && (m.alert?.prediction_drift ?? check?.prediction_drift) ? ["prediction"] : [];
  const detail = check
    ? `last check ${clock(check.at)} · ${check.rows.toLocaleString("en-US")} rows of v${check.version} · ${Math.round(check.share_drifted * 100)}% of features drifted`
    : "";
  const ab = entry.ab_test;
  const abTest = ab
    ? `A/B test: ${ab.arms.map((a) => `v${a.version} ${Math.round(a.share * 100)}%`).join(" · ")} on ${ab.metric}${ab.splitting ? "" : " (not splitting)"}`
    : "";
  return { state, badge: BADGES[state], title: m.error ? `${m.note} ${m.error}` : m.note, columns: [...columns, ...prediction], detail, abTest };
}

/** What a retraining started from the sidebar shows: its progress while it runs, then its result or error. */
export function retrainView(activity: RetrainActivity | undefined): RetrainView | null {
  if (!activity) return null;
  if (activity.state === "running") return { state: "running", headline: `Retraining… ${activity.progress}`, lines: [], next: [] };
  if (activity.state === "failed") {
    const e = activity.error;
    return { state: "failed", headline: "Retrain failed", lines: [e.message, ...(e.hint ? [e.hint] : []), `code: ${e.code}`], next: [] };
  }
  const r = activity.result;
  return {
    state: "done",
    headline: `New run ${r.run_id}`,
    lines: [runLine(r), ...comparisonLines(r), ...(r.ab_test ? [abTestLine(r.ab_test)] : [])],
    next: r.next,
    runId: r.run_id,
    ...(r.comparison ? { verdict: r.comparison.verdict } : {}),
  };
}

function runLine(r: RetrainResult): string {
  const data = `${r.dataset.dataset_id}${r.dataset.changed ? " (new data)" : " (same data)"}`;
  const metrics = Object.entries(r.metrics)
    .slice(0, 3)
    .map(([k, v]) => `${k} ${formatMetric(v)}`)
    .join(" · ");
  return `${r.algorithm} on ${data}, ${r.evaluation}: ${metrics}`;
}

function comparisonLines(r: RetrainResult): string[] {
  const c = r.comparison;
  if (!c) return [];
  return [c.summary];
}

function abTestLine(ab: NonNullable<RetrainResult["ab_test"]>): string {
  const total = ab.arms.reduce((sum, a) => sum + a.weight, 0);
  return `A/B test started on ${ab.model}@${ab.alias}: ${ab.arms.map((a) => `v${a.version} ${Math.round((a.weight / total) * 100)}%`).join(" vs ")}`;
}

/** An ISO time as the local clock reads it (hh:mm:ss), or the text as given when it is not a time. */
function clock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleTimeString("en-GB", { hour12: false });
}
