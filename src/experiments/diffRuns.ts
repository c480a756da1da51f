import type { Workspace } from "../workspace/Workspace.js";
import { isDwError } from "../errors/DwError.js";
import type { RunRecord } from "../runs/RunRecord.js";
import { lineDiff } from "./lineDiff.js";

/** The most of a run's cell.ts that is read to diff it (1 MiB; a cell is a few hundred bytes). */
export const CELL_DIFF_MAX_BYTES = 2 ** 20;
/** The most of a run's execution/history.ts or notebook.ts that is read to diff it (8 MiB). */
export const SCRIPT_DIFF_MAX_BYTES = 8 * 2 ** 20;

/** What the code diff compares, best first: the code the kernel ran before each run, the notebook, the training cell. */
const CODE_FILES = [
  { of: "history", path: "execution/history.ts", maxBytes: SCRIPT_DIFF_MAX_BYTES },
  { of: "notebook", path: "notebook.ts", maxBytes: SCRIPT_DIFF_MAX_BYTES },
  { of: "cell", path: "cell.ts", maxBytes: CELL_DIFF_MAX_BYTES },
] as const;

/** How the training cell changed from one run to the other. */
export interface CodeDiff {
  from_run: string;
  to_run: string;
  /** same, different, no_cell (a run was not made from a notebook cell) or too_large (see note). */
  status: "same" | "different" | "no_cell" | "too_large";
  /** Which file was diffed: execution/history.ts when both runs have it, else notebook.ts, else cell.ts. */
  of: "history" | "notebook" | "cell";
  /** The file's path in each run commit. */
  path: string;
  added: number;
  removed: number;
  /** A unified diff of the two runs' files at `path`; empty unless status is different. */
  diff: string;
  note?: string;
}

/** How the data changed from one run to the other. */
export interface DataDiff {
  from_run: string;
  to_run: string;
  same_data: boolean;
  /** Both runs saw the same columns with the same types. */
  same_schema: boolean;
  from: { dataset_id: string; sha256: string; rows: number };
  to: { dataset_id: string; sha256: string; rows: number };
  rows_change: number;
  /** rows_change split: rows the newer data has more, rows it has fewer (counts; row identity is not stored in a run). */
  rows_added: number;
  rows_removed: number;
  /** The data diff in one sentence. */
  summary: string;
  columns_added: string[];
  columns_removed: string[];
  columns_type_changed: { column: string; from: string; to: string }[];
}

/** A run as compareRuns read it: its id, its run commit and run.json. */
export interface ReadRun {
  run_id: string;
  oid: string;
  run: RunRecord;
}

/**
 * What changed between two runs, from the older to the newer: the code (a unified line diff,
 * bounded as lineDiff says, of execution/history.ts when both run commits hold it, which is what the
 * kernel ran before each run; else of notebook.ts; else of the training cell, cell.ts) and the data
 * (same bytes or not by sha256, rows, columns added, removed or of another type, from run.json's
 * record of the data each run saw).
 *
 * @example
 * ```ts
 * const { code_diff, data_diff } = await diffRuns(ws, older, newer);
 * code_diff.diff; // "--- 20261128-031502-a1b2c3/cell.ts\n+++ …"
 * ```
 */
export async function diffRuns(ws: Workspace, from: ReadRun, to: ReadRun): Promise<{ code_diff: CodeDiff; data_diff: DataDiff }> {
  return { code_diff: await codeDiff(ws, from, to), data_diff: dataDiff(from, to) };
}

async function codeDiff(ws: Workspace, from: ReadRun, to: ReadRun): Promise<CodeDiff> {
  for (const file of CODE_FILES) {
    const base = { from_run: from.run_id, to_run: to.run_id, of: file.of, path: file.path, added: 0, removed: 0, diff: "" };
    const texts: string[] = [];
    for (const r of [from, to]) {
      let text: string | null;
      try {
        text = await ws.readText(r.oid, file.path, { maxBytes: file.maxBytes });
      } catch (e) {
        if (isDwError(e) && e.code === "DATA_ERROR") {
          return {
            ...base,
            status: "too_large",
            note: `The ${file.path} of run ${r.run_id} is over ${file.maxBytes} bytes: see it with git show ${r.oid}:${file.path}`,
          };
        }
        throw e;
      }
      if (text === null) break;
      texts.push(text);
    }
    if (texts.length < 2) continue;
    const d = lineDiff(texts[0], texts[1], { from: `${from.run_id}/${file.path}`, to: `${to.run_id}/${file.path}` });
    if (d.status === "too_large")
      return { ...base, status: "too_large", note: `No diff: ${d.reason} Compare with: git diff ${from.oid} ${to.oid} -- ${file.path}` };
    return { ...base, status: d.status, added: d.added, removed: d.removed, diff: d.diff };
  }
  const without = (await ws.readText(from.oid, "cell.ts", { maxBytes: CELL_DIFF_MAX_BYTES }).catch(() => "")) === null ? from : to;
  return {
    from_run: from.run_id,
    to_run: to.run_id,
    of: "cell",
    path: "cell.ts",
    status: "no_cell",
    added: 0,
    removed: 0,
    diff: "",
    note: `Run ${without.run_id} has no cell.ts: it was not made from a notebook cell (via ${without.run.origin.via}); its parameters are compared above.`,
  };
}

function dataDiff(from: ReadRun, to: ReadRun): DataDiff {
  const f = from.run.data;
  const t = to.run.data;
  const fromTypes = new Map(f.columns.map((c) => [c.name, c.type]));
  const toTypes = new Map(t.columns.map((c) => [c.name, c.type]));
  const added = t.columns.filter((c) => !fromTypes.has(c.name)).map((c) => c.name);
  const removed = f.columns.filter((c) => !toTypes.has(c.name)).map((c) => c.name);
  const retyped = t.columns.flatMap((c) => {
    const before = fromTypes.get(c.name);
    return before !== undefined && before !== c.type ? [{ column: c.name, from: before, to: c.type }] : [];
  });
  const change = t.rows - f.rows;
  const sameSchema = added.length === 0 && removed.length === 0 && retyped.length === 0;
  const sameData = f.sha256 === t.sha256;
  const parts = [
    sameData ? "the same bytes" : `different bytes (sha256 ${f.sha256.slice(0, 12)} → ${t.sha256.slice(0, 12)})`,
    change === 0 ? `${t.rows} rows both` : `${change > 0 ? `${change} rows more` : `${-change} rows fewer`} (${f.rows} → ${t.rows})`,
    added.length ? `columns added: ${added.join(", ")}` : undefined,
    removed.length ? `columns removed: ${removed.join(", ")}` : undefined,
    retyped.length ? `columns retyped: ${retyped.map((r) => `${r.column} ${r.from} → ${r.to}`).join(", ")}` : undefined,
  ];
  return {
    from_run: from.run_id,
    to_run: to.run_id,
    same_data: sameData,
    same_schema: sameSchema,
    from: { dataset_id: f.dataset_id, sha256: f.sha256, rows: f.rows },
    to: { dataset_id: t.dataset_id, sha256: t.sha256, rows: t.rows },
    rows_change: change,
    rows_added: Math.max(change, 0),
    rows_removed: Math.max(-change, 0),
    summary: `${parts.filter((p) => p !== undefined).join("; ")}.`,
    columns_added: added,
    columns_removed: removed,
    columns_type_changed: retyped,
  };
}
