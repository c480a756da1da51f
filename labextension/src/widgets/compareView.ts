import { z } from "zod";
import { formatMetric } from "./formatMetric.js";

/**
 * compare_experiments' output as the Runs panel reads it. The labextension cannot import the tool
 * (it is not zod-only), so the fields shown are checked here again: an output that does not match
 * is shown as an error rather than half drawn. code_diff and data_diff come for two runs only, and
 * not from older kernels; when absent or unreadable, the comparison shows without them.
 */
const Comparison = z.object({
  metric: z.string(),
  higher_is_better: z.boolean(),
  best_run_id: z.string(),
  runs: z.array(
    z.object({
      run_id: z.string(),
      rank: z.number().int().nullable(),
      algorithm: z.string(),
      metrics: z.record(z.string(), z.number()),
      delta_vs_best: z.record(z.string(), z.number().nullable()),
    }),
  ),
  differing_parameters: z.array(z.object({ parameter: z.string(), values: z.record(z.string(), z.unknown()) })),
  code_diff: z.unknown().optional(),
  data_diff: z.unknown().optional(),
});

/** What the compare area shows, as data. */
export interface CompareView {
  headline: string;
  /** Run ids in the order compared (best first), the column heads. */
  runIds: string[];
  /** One row per metric: the value of each run and its difference from the best run. */
  metrics: { name: string; ranked: boolean; cells: { text: string; title: string; best: boolean }[] }[];
  parameters: { name: string; values: string[] }[];
  data: DataDiffView | null;
  code: CodeDiffView | null;
}

export interface DataDiffView {
  same: boolean;
  lines: string[];
}

export interface CodeDiffView {
  /** What was diffed, as the section's heading: the code that ran before each training, the notebooks, or the training cells. */
  heading: string;
  /** Which files of the run commits were diffed, and why those; null from a kernel that does not say. */
  of: { kind: "history" | "notebook" | "cell"; text: string } | null;
  /** Which run to which, and how many lines changed. */
  summary: string;
  /** Each line of the unified diff with its kind, for colouring. */
  lines: { kind: "add" | "del" | "hunk" | "context" | "meta"; text: string }[];
  /** Set when the diff says it was cut or could not be made. */
  note: string | null;
  identical: boolean;
}

/** The view of compare_experiments' output, or an error naming what did not match. */
export function compareView(output: unknown): { ok: true; view: CompareView } | { ok: false; message: string } {
  const parsed = Comparison.safeParse(output);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `compare_experiments answered something the panel cannot read (${issue?.path.join(".") || "output"}: ${issue?.message}).` };
  }
  const cmp = parsed.data;
  const runIds = cmp.runs.map((r) => r.run_id);
  const names = [cmp.metric, ...[...new Set(cmp.runs.flatMap((r) => Object.keys(r.metrics)))].filter((m) => m !== cmp.metric).sort()];
  return {
    ok: true,
    view: {
      headline: `Best by ${cmp.metric} (${cmp.higher_is_better ? "higher" : "lower"} is better): ${cmp.best_run_id}`,
      runIds,
      metrics: names.map((name) => ({
        name,
        ranked: name === cmp.metric,
        cells: cmp.runs.map((r) => {
          const value = r.metrics[name];
          const delta = r.delta_vs_best[name];
          if (value === undefined) return { text: "—", title: `${r.run_id} has no ${name}`, best: false };
          const best = r.run_id === cmp.best_run_id;
          const deltaText = !best && delta !== null && delta !== undefined && delta !== 0 ? ` (${delta > 0 ? "+" : ""}${formatMetric(delta)})` : "";
          return { text: `${formatMetric(value)}${deltaText}`, title: `${r.run_id}: ${name} = ${value}`, best };
        }),
      })),
      parameters: cmp.differing_parameters.map((p) => ({ name: p.parameter, values: runIds.map((id) => showValue(p.values[id])) })),
      data: dataDiffView(cmp.data_diff),
      code: codeDiffView(cmp.code_diff),
    },
  };
}

function showValue(v: unknown): string {
  if (v === undefined || v === null) return "—";
  return typeof v === "string" ? v : JSON.stringify(v);
}

const RunData = z.object({ dataset_id: z.string(), sha256: z.string(), rows: z.number() });
const DataDiff = z.object({
  from_run: z.string(),
  to_run: z.string(),
  same_data: z.boolean(),
  from: RunData,
  to: RunData,
  rows_change: z.number(),
  columns_added: z.array(z.string()),
  columns_removed: z.array(z.string()),
  columns_type_changed: z.array(z.object({ column: z.string(), from: z.string(), to: z.string() })),
});
const CodeDiff = z.object({
  from_run: z.string(),
  to_run: z.string(),
  status: z.string().describe("same, different, no_cell or too_large"),
  added: z.number(),
  removed: z.number(),
  diff: z.string(),
  note: z.string().optional(),
  of: z.enum(["history", "notebook", "cell"]).optional(),
});

const rows = (n: number) => `${n.toLocaleString("en-US")} rows`;

/** compare_experiments' data_diff (two runs, older to newer) as lines: same bytes or not, rows, columns. */
export function dataDiffView(diff: unknown): DataDiffView | null {
  const parsed = DataDiff.safeParse(diff);
  if (!parsed.success) return null;
  const d = parsed.data;
  if (d.same_data) return { same: true, lines: [`Same data: ${d.to.dataset_id}, ${rows(d.to.rows)} (sha256 ${d.to.sha256.slice(0, 12)}).`] };
  const lines = [
    `From ${d.from_run} to ${d.to_run}: ${d.from.dataset_id === d.to.dataset_id ? d.to.dataset_id : `${d.from.dataset_id} → ${d.to.dataset_id}`}, sha256 ${d.from.sha256.slice(0, 12)} → ${d.to.sha256.slice(0, 12)}.`,
    d.rows_change === 0
      ? `Rows: ${d.to.rows.toLocaleString("en-US")} in both.`
      : `Rows: ${rows(d.from.rows)} → ${rows(d.to.rows)} (${d.rows_change > 0 ? "+" : ""}${d.rows_change.toLocaleString("en-US")}).`,
  ];
  if (d.columns_added.length) lines.push(`Columns added: ${d.columns_added.join(", ")}.`);
  if (d.columns_removed.length) lines.push(`Columns removed: ${d.columns_removed.join(", ")}.`);
  if (d.columns_type_changed.length) lines.push(`Type changed: ${d.columns_type_changed.map((c) => `${c.column} ${c.from} → ${c.to}`).join(", ")}.`);
  return { same: false, lines };
}

/** compare_experiments' code_diff (two runs' training cells, older to newer) as coloured lines, or why there is none. */
export function codeDiffView(diff: unknown): CodeDiffView | null {
  const parsed = CodeDiff.safeParse(diff);
  if (!parsed.success) return null;
  const d = parsed.data;
  const text = d.status === "different" ? d.diff : "";
  const lines =
    text === ""
      ? []
      : text
          .replace(/\n$/, "")
          .split("\n")
          .map((line) => ({ kind: lineKind(line), text: line }));
  const summary = `From ${d.from_run} to ${d.to_run}: ${d.status === "different" ? `+${d.added} −${d.removed} lines` : d.status === "same" ? "the same code" : "no diff"}.`;
  const of = d.of ? { kind: d.of, text: DIFFED[d.of].text } : null;
  return { heading: d.of ? DIFFED[d.of].heading : "Training cell code", of, summary, lines, note: d.note ?? null, identical: d.status === "same" };
}

/** What compare_experiments diffed (code_diff.of): each run's best record of its code, the same for both. */
const DIFFED: Record<"history" | "notebook" | "cell", { heading: string; text: string }> = {
  history: {
    heading: "Code that ran before training",
    text: "Diffed: what the kernel executed before each training, in execution order (execution/history.ts).",
  },
  notebook: {
    heading: "Notebook code",
    text: "Diffed: the notebooks as paired scripts, in cell order (notebook.ts); a run has no execution history, so the order things ran in is not compared.",
  },
  cell: {
    heading: "Training cell code",
    text: "Diffed: the training cells only (cell.ts); a run has neither an execution history nor a notebook.",
  },
};

function lineKind(line: string): CodeDiffView["lines"][number]["kind"] {
  if (line.startsWith("+++") || line.startsWith("---")) return "meta";
  if (line.startsWith("@@")) return "hunk";
  if (line.startsWith("+")) return "add";
  if (line.startsWith("-")) return "del";
  return "context";
}
