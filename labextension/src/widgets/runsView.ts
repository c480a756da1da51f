import type { RunSummary } from "../../../src/comm/protocol.js";
import { formatMetric } from "./formatMetric.js";

/**
 * What the Runs panel shows for each run, as data (no DOM), so the choices (which metric, what the
 * gate badge says, whether the run's cell can be opened, which runs can be compared) are tested
 * without a browser. RunsPanel builds the DOM from it.
 */
export interface RunRowView {
  runId: string;
  /** `random_forest → temp_max`. */
  title: string;
  /** `2026-12-04 13:41`, from created_at (UTC). */
  when: string;
  /** `r2 0.812`, or `no metric`. */
  metric: { text: string; title: string };
  /** `seattle-weather · 1,461 rows`, with the content hash in the title. */
  data: { text: string; title: string };
  gate: GateBadgeView;
  /** `temp v1, v2`, or empty when no version was registered from the run. */
  registered: string;
  commit: string;
  /** The arguments of dw:open-run-cell, or null with the reason the run has no cell to open. */
  openCell: { notebook_path: string; cell_id: string; run_id: string } | { reason: string };
  error: string | null;
  /** What changes when the run changes: the panel redraws a row only when this does. */
  key: string;
}

export interface GateBadgeView {
  status: RunSummary["gate_status"];
  text: string;
  /** Each gate's summary on a line, and the override's who and why. */
  title: string;
}

const BADGE_TEXT: Record<RunSummary["gate_status"], string> = {
  pass: "gates passed",
  warn: "gate warning",
  fail: "gate failed",
  overridden: "gate overridden",
  none: "no gates",
};

/** The row of each run, in list_runs' order (newest first). */
export function runRowsView(runs: readonly RunSummary[]): RunRowView[] {
  return runs.map((run) => {
    const metric = run.metric
      ? {
          text: `${run.metric.name} ${formatMetric(run.metric.value)}`,
          title: `${run.metric.name} = ${run.metric.value} on the holdout (${run.metric.higher_is_better ? "higher" : "lower"} is better)`,
        }
      : { text: "no metric", title: "The run recorded neither r2 nor accuracy." };
    return {
      runId: run.run_id,
      title: `${run.algorithm} → ${run.target}`,
      when: shortTime(run.created_at),
      metric,
      data: {
        text: `${run.data.dataset_id} · ${run.data.rows.toLocaleString("en-US")} rows`,
        title: `dataset ${run.data.dataset_id}, sha256 ${run.data.sha256}, ${run.data.rows} rows used`,
      },
      gate: gateBadge(run),
      registered: registeredText(run.registered),
      commit: run.commit,
      openCell: openCellArgs(run),
      error: run.error ?? null,
      key: JSON.stringify([run.commit, run.gate_status, run.registered, run.error ?? null, run.metric]),
    };
  });
}

/** The run's gate status as a badge: what each gate said, and who overrode a failed one and why. */
export function gateBadge(run: Pick<RunSummary, "gate_status" | "gates" | "override">): GateBadgeView {
  const lines = run.gates.map((g) => `${g.gate}: ${g.status}: ${g.summary}`);
  if (run.override) lines.push(`overridden by ${run.override.by} at ${run.override.at}: ${run.override.reason}`);
  return { status: run.gate_status, text: BADGE_TEXT[run.gate_status], title: lines.join("\n") || "No gate report was recorded for this run." };
}

function registeredText(registered: RunSummary["registered"]): string {
  const byModel = new Map<string, number[]>();
  for (const r of registered) byModel.set(r.model, [...(byModel.get(r.model) ?? []), r.version]);
  return [...byModel]
    .map(
      ([model, versions]) =>
        `${model} ${versions
          .sort((a, b) => a - b)
          .map((v) => `v${v}`)
          .join(", ")}`,
    )
    .join(" · ");
}

/** dw:open-run-cell's arguments when the run recorded its notebook and cell, else why not. */
export function openCellArgs(run: Pick<RunSummary, "run_id" | "origin">): RunRowView["openCell"] {
  const { notebook_path, cell_id, via } = run.origin;
  if (notebook_path && cell_id) return { notebook_path, cell_id, run_id: run.run_id };
  if (via !== "kernel") return { reason: `The run was made through ${via}, not in a notebook cell.` };
  return { reason: notebook_path ? "The run's notebook cell id was not recorded (an older run)." : "The run's notebook was not recorded." };
}

/** `2026-12-04T13:41:37.123Z` → `2026-12-04 13:41`; anything else unchanged. */
export function shortTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

/**
 * The selection kept across redraws: only runs still listed stay selected, in the order they were
 * picked; Compare needs two or more.
 */
export function compareSelection(selected: readonly string[], runs: readonly { run_id: string }[]): { runIds: string[]; canCompare: boolean; label: string } {
  const listed = new Set(runs.map((r) => r.run_id));
  const runIds = selected.filter((id) => listed.has(id));
  return {
    runIds,
    canCompare: runIds.length >= 2,
    label: runIds.length >= 2 ? `Compare ${runIds.length} runs` : runIds.length === 1 ? "Select one more run to compare" : "Select two runs to compare",
  };
}
