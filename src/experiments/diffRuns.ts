import type { Workspace } from "../workspace/Workspace.js";
import { isDwError } from "../errors/DwError.js";
import type { RunRecord } from "../runs/RunRecord.js";
import { lineDiff } from "./lineDiff.js";

/** The most of a run's cell.ts that is read to diff it (1 MiB; a cell is a few hundred bytes). */
export const CELL_DIFF_MAX_BYTES = 2 ** 20;

/** How the training cell changed from one run to the other. */
export interface CodeDiff {
  from_run: string;
  to_run: string;
  /** same, different, no_cell (a run was not made from a notebook cell) or too_large (see note). */
  status: "same" | "different" | "no_cell" | "too_large";
  added: number;
  removed: number;
  /** A unified diff of the cells (cell.ts of each run commit); empty unless status is different. */
  diff: string;
  note?: string;
}

/** How the data changed from one run to the other. */
export interface DataDiff {
  from_run: string;
  to_run: string;
  same_data: boolean;
  from: { dataset_id: string; sha256: string; rows: number };
  to: { dataset_id: string; sha256: string; rows: number };
  rows_change: number;
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
 * What changed between two runs, from the older to the newer: the training cell's code (a unified
 * line diff of the cell.ts each run commit keeps, bounded as lineDiff says) and the data (same
 * bytes or not by sha256, rows, columns added, removed or of another type, from run.json's record
 * of the data each run saw).
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
  const base = { from_run: from.run_id, to_run: to.run_id, added: 0, removed: 0, diff: "" };
  const cells: string[] = [];
  for (const r of [from, to]) {
    let text: string | null;
    try {
      text = await ws.readText(r.oid, "cell.ts", { maxBytes: CELL_DIFF_MAX_BYTES });
    } catch (e) {
      if (isDwError(e) && e.code === "DATA_ERROR") {
        return {
          ...base,
          status: "too_large",
          note: `The cell of run ${r.run_id} is over ${CELL_DIFF_MAX_BYTES} bytes: see it with git show ${r.oid}:cell.ts`,
        };
      }
      throw e;
    }
    if (text === null) {
      return {
        ...base,
        status: "no_cell",
        note: `Run ${r.run_id} has no cell.ts: it was not made from a notebook cell (via ${r.run.origin.via}); its parameters are compared above.`,
      };
    }
    cells.push(text);
  }
  const d = lineDiff(cells[0], cells[1], { from: `${from.run_id}/cell.ts`, to: `${to.run_id}/cell.ts` });
  if (d.status === "too_large") return { ...base, status: "too_large", note: `No diff: ${d.reason} Compare with: git diff ${from.oid} ${to.oid} -- cell.ts` };
  return { ...base, status: d.status, added: d.added, removed: d.removed, diff: d.diff };
}

function dataDiff(from: ReadRun, to: ReadRun): DataDiff {
  const f = from.run.data;
  const t = to.run.data;
  const fromTypes = new Map(f.columns.map((c) => [c.name, c.type]));
  const toTypes = new Map(t.columns.map((c) => [c.name, c.type]));
  return {
    from_run: from.run_id,
    to_run: to.run_id,
    same_data: f.sha256 === t.sha256,
    from: { dataset_id: f.dataset_id, sha256: f.sha256, rows: f.rows },
    to: { dataset_id: t.dataset_id, sha256: t.sha256, rows: t.rows },
    rows_change: t.rows - f.rows,
    columns_added: t.columns.filter((c) => !fromTypes.has(c.name)).map((c) => c.name),
    columns_removed: f.columns.filter((c) => !toTypes.has(c.name)).map((c) => c.name),
    columns_type_changed: t.columns.flatMap((c) => {
      const before = fromTypes.get(c.name);
      return before !== undefined && before !== c.type ? [{ column: c.name, from: before, to: c.type }] : [];
    }),
  };
}
