import { z } from "zod";
import { formatMetric } from "./formatMetric.js";

/**
 * compare_experiments' output as the Runs panel reads it. The labextension cannot import the tool
 * (it is not zod-only), so the fields shown are checked here again: an output that does not match
 * is shown as an error rather than half drawn. code_diff and data_diff are optional: older kernels
 * do not send them.
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

/** A data diff, read loosely until its contract settles: whatever it names of hash, rows and columns. */
export function dataDiffView(diff: unknown): DataDiffView | null {
  if (diff === undefined || diff === null || typeof diff !== "object") return null;
  const d = diff as Record<string, unknown>;
  const same = d.same_data === true || d.same_sha256 === true || d.same === true;
  const lines: string[] = [];
  lines.push(same ? "Same data (equal sha256)." : "Different data (sha256 differs).");
  return { same, lines };
}

/** A unified diff as lines with their kind. */
export function codeDiffView(diff: unknown): CodeDiffView | null {
  if (diff === undefined || diff === null) return null;
  const text = typeof diff === "string" ? diff : typeof diff === "object" ? String((diff as Record<string, unknown>).unified ?? "") : "";
  const lines =
    text === ""
      ? []
      : text
          .replace(/\n$/, "")
          .split("\n")
          .map((line) => ({ kind: lineKind(line), text: line }));
  return { lines, note: null, identical: lines.every((l) => l.kind === "context" || l.kind === "meta") };
}

function lineKind(line: string): CodeDiffView["lines"][number]["kind"] {
  if (line.startsWith("+++") || line.startsWith("---")) return "meta";
  if (line.startsWith("@@")) return "hunk";
  if (line.startsWith("+")) return "add";
  if (line.startsWith("-")) return "del";
  return "context";
}
