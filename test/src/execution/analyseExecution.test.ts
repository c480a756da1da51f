import { test } from "node:test";
import assert from "node:assert/strict";
import { analyseExecution } from "../../../src/execution/analyseExecution.js";
import { parseNotebook } from "../../../src/execution/parseNotebook.js";
import type { ExecutionRecord } from "../../../src/execution/ExecutionRecord.js";
import { sessionNotebook, sessionRecord } from "./executionFixture.js";

const cells = (text: string) => parseNotebook(text, "nb.ipynb").cells;
const brief = (fs: ReturnType<typeof analyseExecution>) => fs.map((f) => `${f.kind} ${f.cell_id ?? "-"} ${f.execution_counts.join(",")}`);

test("a realistic session gives each finding once, naming the cells and execution counts", () => {
  const findings = analyseExecution(sessionRecord(), cells(sessionNotebook(true)), cells(sessionNotebook(false)));
  assert.deepEqual(brief(findings), [
    "errored_before gone 5",
    "edited_after_run feat 2,4",
    "edited_after_run feat 4",
    "out_of_order look 2,3",
    "not_in_notebook gone 5",
    "not_run skipped ",
    "unsaved_edits feat ",
  ]);
  const edited = findings[1];
  assert.match(edited.message, /Cell feat ran 2 times \(\[2\], \[4\]\) and its code changed between \[2\] and \[4\]/);
  assert.match(findings[3].message, /\[3\] cell look ran after \[2\] cell feat, which is below it in the notebook/);
  assert.match(findings[5].message, /Code cell skipped above the training cell never ran/);
  assert.match(findings[0].message, /statements before the failure may have run/);
});

test("cells run once each, top to bottom, as the notebook shows them, give no finding", () => {
  const record: ExecutionRecord = {
    kernel_started_at: "2026-12-04T16:00:00Z",
    dropped: 0,
    cells: ["a", "b", "c"].map((id, i) => ({
      execution_count: i + 1,
      cell_id: id,
      code: `const ${id} = ${i};`,
      started_at: "2026-12-04T16:00:01Z",
      status: i === 2 ? "running" : "ok",
      dw_calls: [],
    })),
  };
  const nb = { cells: ["a", "b", "c"].map((id, i) => ({ id, cell_type: "code" as const, source: `const ${id} = ${i};` })) };
  assert.deepEqual(analyseExecution(record, nb, nb), []);
  assert.deepEqual(analyseExecution(record), [], "without a notebook only the history is judged");
});

test("a re-run with the same code is a rerun; a cell that failed and then ran is said to have run again", () => {
  const record: ExecutionRecord = {
    kernel_started_at: "2026-12-04T16:00:00Z",
    dropped: 3,
    cells: [
      { execution_count: 4, cell_id: "a", code: "xs.push(1);", started_at: "t", status: "error", dw_calls: [] },
      { execution_count: 5, cell_id: "a", code: "xs.push(1);", started_at: "t", status: "ok", dw_calls: [] },
      { execution_count: 6, cell_id: "t", code: "await dw.trainModel({})", started_at: "t", status: "running", dw_calls: [] },
    ],
  };
  const nb = {
    cells: [
      { id: "z", cell_type: "code" as const, source: "let xs: number[] = [];" },
      { id: "a", cell_type: "code" as const, source: "xs.push(1);" },
      { id: "t", cell_type: "code" as const, source: "await dw.trainModel({})" },
    ],
  };
  const f = analyseExecution(record, nb);
  assert.deepEqual(brief(f), ["errored_before a 4", "rerun a 4,5", "not_run z "]);
  assert.match(f[0].message, /ran again without error as \[5\]/);
  assert.match(f[1].message, /done 2 times before the run/);
  assert.match(f[2].message, /3 earlier executions were not kept/);
});

test("unsaved edits: cells added, changed and deleted in the browser are each named", () => {
  const record: ExecutionRecord = { kernel_started_at: "t", dropped: 0, cells: [] };
  const open = {
    cells: [
      { id: "a", cell_type: "code" as const, source: "1" },
      { id: "new", cell_type: "code" as const, source: "2" },
    ],
  };
  const disk = {
    cells: [
      { id: "a", cell_type: "code" as const, source: "0" },
      { id: "old", cell_type: "markdown" as const, source: "x" },
    ],
  };
  const f = analyseExecution(record, open, disk);
  assert.deepEqual(brief(f), ["unsaved_edits a ", "unsaved_edits new ", "unsaved_edits old "]);
  assert.match(f[2].message, /deleted in the browser/);
});

test("20,000 executions of 2,000 cells run ten times over: one rerun per cell, and each execution above the last cell run is out of order", () => {
  const n = 20000;
  const record: ExecutionRecord = {
    kernel_started_at: "t",
    dropped: 0,
    cells: Array.from({ length: n }, (_, i) => ({
      execution_count: i + 1,
      cell_id: `c${i % 2000}`,
      code: `x${i % 2000}`,
      started_at: "t",
      status: "ok" as const,
      dw_calls: [],
    })),
  };
  const nb = { cells: Array.from({ length: 2000 }, (_, i) => ({ id: `c${i}`, cell_type: "code" as const, source: `x${i}` })) };
  const f = analyseExecution(record, nb);
  assert.equal(f.filter((x) => x.kind === "rerun").length, 2000);
  // After the first pass the last cell (c1999) is the lowest one run; its own 9 re-runs are not out of order.
  assert.equal(f.filter((x) => x.kind === "out_of_order").length, n - 2000 - 9);
});
