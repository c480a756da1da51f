import type { ExecutedCell, ExecutionRecord } from "./ExecutionRecord.js";
import type { Finding } from "./Finding.js";
import type { NotebookCells } from "./parseNotebook.js";

/**
 * What a reader of a run must know about how its state was made, from the kernel's history and,
 * when known, the notebook (`notebook`: as the browser or disk held it) and the file as saved
 * (`saved`, when `notebook` came from the browser). The last cell of the record is the one that
 * made the run. Findings, in this order: errored_before, rerun / edited_after_run, out_of_order,
 * not_in_notebook, not_run, unsaved_edits. Linear in the sizes of the record and the notebooks
 * (maps by cell id; code compared as strings).
 *
 * @example
 * ```ts
 * const findings = analyseExecution(record, parseNotebook(text, "nb.ipynb").cells);
 * findings[0]; // { kind: "out_of_order", cell_id: "b", execution_counts: [4, 3], message: "…" }
 * ```
 */
export function analyseExecution(record: ExecutionRecord, notebook?: NotebookCells, saved?: NotebookCells): Finding[] {
  const cells = record.cells;
  const training = cells.at(-1);
  const before = cells.slice(0, -1);
  const findings: Finding[] = [];

  const byId = new Map<string, ExecutedCell[]>();
  for (const c of cells) {
    if (c.cell_id === undefined) continue;
    const runs = byId.get(c.cell_id);
    if (runs) runs.push(c);
    else byId.set(c.cell_id, [c]);
  }

  for (const c of before) {
    if (c.status === "error" || c.status === "aborted") {
      // The cell's last run, if it ran without error after this one (its runs are in execution order).
      const last = c.cell_id !== undefined ? byId.get(c.cell_id)?.at(-1) : undefined;
      const later = last && last.execution_count > c.execution_count && last.status !== "error" && last.status !== "aborted" ? last : undefined;
      findings.push({
        kind: "errored_before",
        ...(c.cell_id !== undefined ? { cell_id: c.cell_id } : {}),
        execution_counts: [c.execution_count],
        message:
          `${ref(c)} ${c.status === "error" ? "failed" : "was aborted"} before the run` +
          (later
            ? `; it ran again without error as [${later.execution_count}].`
            : `: statements before the failure may have run, so the state the model came from includes part of that cell.`),
      });
    }
  }

  const current = new Map<string, { index: number; source: string; cell_type: string }>();
  notebook?.cells.forEach((c, index) => {
    if (c.id !== undefined && !current.has(c.id)) current.set(c.id, { index, source: c.source, cell_type: c.cell_type });
  });

  for (const [id, runs] of byId) {
    const counts = runs.map((r) => r.execution_count);
    const last = runs[runs.length - 1];
    const changedAt = runs.findIndex((r, i) => i > 0 && r.code !== runs[i - 1].code);
    const now = current.get(id);
    const editedSince = now !== undefined && now.cell_type === "code" && now.source !== last.code && last !== training;
    if (changedAt > 0) {
      findings.push({
        kind: "edited_after_run",
        cell_id: id,
        execution_counts: counts,
        message: `Cell ${id} ran ${runs.length} times (${list(counts)}) and its code changed between [${runs[changedAt - 1].execution_count}] and [${runs[changedAt].execution_count}]: the state holds what every version did, in that order; execution/history.ts shows each.`,
      });
    } else if (runs.length > 1) {
      findings.push({
        kind: "rerun",
        cell_id: id,
        execution_counts: counts,
        message: `Cell ${id} ran ${runs.length} times (${list(counts)}) with the same code: anything it appends to or increments was done ${runs.length} times before the run.`,
      });
    }
    if (editedSince) {
      findings.push({
        kind: "edited_after_run",
        cell_id: id,
        execution_counts: [last.execution_count],
        message: `Cell ${id} holds other code in the notebook than what ran last as [${last.execution_count}]: the notebook does not show the code the model came from; execution/history.ts does.`,
      });
    }
  }

  // Out of order: an execution of a cell above one that ran before it (by notebook position).
  let below: { index: number; cell: ExecutedCell } | undefined;
  for (const c of cells) {
    const at = c.cell_id !== undefined ? current.get(c.cell_id) : undefined;
    if (!at) continue;
    if (below && at.index < below.index) {
      findings.push({
        kind: "out_of_order",
        cell_id: c.cell_id,
        execution_counts: [below.cell.execution_count, c.execution_count],
        message: `[${c.execution_count}] cell ${c.cell_id} ran after [${below.cell.execution_count}] cell ${below.cell.cell_id}, which is below it in the notebook: running the notebook top to bottom would not give the state the model came from.`,
      });
    }
    if (!below || at.index >= below.index) below = { index: at.index, cell: c };
  }

  if (notebook) {
    for (const [id, runs] of byId) {
      if (current.has(id)) continue;
      const counts = runs.map((r) => r.execution_count);
      findings.push({
        kind: "not_in_notebook",
        cell_id: id,
        execution_counts: counts,
        message: `Cell ${id} ran (${list(counts)}) but is not in the notebook now (deleted, or run from another notebook or a console): its code is only in execution/history.ts.`,
      });
    }
    const trainingAt = training?.cell_id !== undefined ? current.get(training.cell_id)?.index : undefined;
    if (trainingAt !== undefined) {
      for (let i = 0; i < trainingAt; i++) {
        const c = notebook.cells[i];
        if (c.cell_type !== "code" || c.source.trim() === "" || (c.id !== undefined && byId.has(c.id))) continue;
        findings.push({
          kind: "not_run",
          ...(c.id !== undefined ? { cell_id: c.id } : {}),
          execution_counts: [],
          message:
            `Code cell ${c.id ?? `#${i + 1}`} above the training cell never ran in this kernel session` +
            (record.dropped > 0 ? ` (as far as the kept history goes: ${record.dropped} earlier executions were not kept)` : "") +
            `: the model does not depend on it, though the notebook suggests it does.`,
        });
      }
    }
  }

  if (notebook && saved) findings.push(...unsavedEdits(notebook, saved));
  return findings;
}

/** The cells whose source differs between the browser's notebook and the saved file, matched by id (by position for cells without one). */
function unsavedEdits(notebook: NotebookCells, saved: NotebookCells): Finding[] {
  const key = (c: { id?: string }, i: number) => c.id ?? `#${i + 1}`;
  const disk = new Map(saved.cells.map((c, i) => [key(c, i), c.source]));
  const open = new Set(notebook.cells.map((c, i) => key(c, i)));
  const out: Finding[] = [];
  const finding = (k: string, what: string): Finding => ({
    kind: "unsaved_edits",
    ...(k.startsWith("#") ? {} : { cell_id: k }),
    execution_counts: [],
    message: `Cell ${k} ${what} in the browser than in the file on disk (unsaved): the run stores the browser's notebook; the file does not show it.`,
  });
  notebook.cells.forEach((c, i) => {
    const k = key(c, i);
    const was = disk.get(k);
    if (was === undefined) out.push(finding(k, "exists only"));
    else if (was !== c.source) out.push(finding(k, "holds other text"));
  });
  saved.cells.forEach((c, i) => {
    const k = key(c, i);
    if (!open.has(k))
      out.push({ ...finding(k, "is deleted"), message: `Cell ${k} is on disk but deleted in the browser (unsaved): the run stores the browser's notebook.` });
  });
  return out;
}

const ref = (c: ExecutedCell) => `[${c.execution_count}]${c.cell_id !== undefined ? ` cell ${c.cell_id}` : ""}`;
const list = (counts: number[]) => counts.map((n) => `[${n}]`).join(", ");
