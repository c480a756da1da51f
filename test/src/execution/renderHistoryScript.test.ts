import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderHistoryScript } from "../../../src/execution/renderHistoryScript.js";
import { analyseExecution } from "../../../src/execution/analyseExecution.js";
import { parseNotebook } from "../../../src/execution/parseNotebook.js";
import type { ExecutionRecord } from "../../../src/execution/ExecutionRecord.js";
import { tools } from "../../../src/tools/allTools.js";
import { dwPrelude } from "../../../kernel/dwObject.js";
import { repoRoot } from "../../helpers/tempWorkspace.js";
import { sessionNotebook, sessionRecord } from "./executionFixture.js";

const meta = { run_id: "20261204-160602-a1b2c3", notebook_path: "weather.ipynb", notebook_source: "browser" as const };

function render(record: ExecutionRecord = sessionRecord()): string {
  const nb = parseNotebook(sessionNotebook(true), "nb").cells;
  return renderHistoryScript(record, analyseExecution(record, nb, parseNotebook(sessionNotebook(false), "nb").cells), meta);
}

/** tsc's diagnostics for the file with the kernel's prelude before it (as the kernel runs cells after its hidden first cell). */
function tscErrors(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), "dw-history-tsc-"));
  try {
    // The prelude is a script declaring `dw` globally; the history is a module (top-level await), as tslab runs cells.
    writeFileSync(join(dir, "prelude.ts"), dwPrelude(tools));
    writeFileSync(join(dir, "history.ts"), `${source}\nexport {};\n`);
    const compilerOptions = { noEmit: true, strict: true, target: "es2022", module: "esnext", types: [], lib: ["es2022", "dom"] };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["prelude.ts", "history.ts"] }));
    const r = spawnSync(process.execPath, [join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", dir], { cwd: dir, encoding: "utf8" });
    return r.status === 0 ? "" : `${r.stdout}${r.stderr}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("history.ts of a realistic session compiles with tsc against the kernel's prelude", () => {
  const ts = render();
  assert.equal(tscErrors(ts), "");
  // The check can fail: the same file with a %dw line left raw does not compile.
  assert.notEqual(tscErrors(`${ts}\n%dw train_model --dataset_id weather\n`), "");
});

test("history.ts: the header, a comment line per cell, %dw lines as the calls they made, the training cell last and marked", () => {
  const ts = render();
  const lines = ts.split("\n");
  assert.equal(lines[0], "// dw run 20261204-160602-a1b2c3: the code the kernel executed before this run, in execution order.");
  assert.match(ts, /^\/\/ Kernel started 2026-12-04T16:00:00.000Z; notebook: weather.ipynb \(as the browser held it, unsaved edits included\)\.$/m);
  assert.match(ts, /^\/\/ {3}- out_of_order: \[3\] cell look ran after \[2\] cell feat/m);
  assert.ok(lines.includes("// ---- [1] cell load · 2026-12-04T16:01:02Z · ok (101 ms)"));
  assert.ok(
    lines.includes(
      'const weather = await dw.loadDataset({"path":"data/seattle-weather.csv","dataset_id":"weather"}); // %dw load_dataset data/seattle-weather.csv --dataset_id weather --as weather',
    ),
  );
  assert.ok(lines.includes("// %dw help train_model (help: calls no tool)"));
  // The second run of `feat` declares `features` again: a block, closed at the end.
  assert.ok(lines.includes("{ // declares features again, as the kernel allows: a new scope from here to the end of the file"));
  assert.ok(lines.includes("// failed: its code is kept as comments; statements before a failure may have run."));
  assert.ok(lines.includes("// throw new Error('oops');"));
  const headers = lines.filter((l) => l.startsWith("// ---- "));
  assert.equal(headers.length, 6);
  assert.equal(headers[5], "// ---- [6] cell train · 2026-12-04T16:06:02Z · running · the cell that made this run");
  assert.ok(lines.includes('const stats = await dw.getFeatureStats({"dataset_id":"weather"}); // %dw get_feature_stats --dataset_id weather --as stats'));
  assert.equal(lines.at(-2), "} // the scopes opened by cells that declared a name again");
  assert.equal(render(), ts, "the same record renders the same bytes");
});

test("a %%dw cell becomes a comment block and the call it made; a line whose input was not recorded says why", () => {
  const record: ExecutionRecord = {
    kernel_started_at: "2026-12-04T16:00:00Z",
    dropped: 0,
    cells: [
      {
        execution_count: 1,
        cell_id: "c",
        code: "%%dw load_dataset --as w\npath: data/seattle-weather.csv",
        started_at: "2026-12-04T16:00:01Z",
        status: "ok",
        dw_calls: [{ tool: "load_dataset", input: { path: "data/seattle-weather.csv" }, as: "w", ok: true }],
      },
      {
        execution_count: 2,
        cell_id: "d",
        code: "  %dw load_dataset --data big\n%dw load_dataset nope.csv\n%dw load_dataset never.csv",
        started_at: "2026-12-04T16:00:02Z",
        status: "running",
        dw_calls: [
          { tool: "load_dataset", line: 1, ok: true },
          { tool: "load_dataset", line: 2, ok: false, error_code: "INVALID_INPUT" },
        ],
      },
    ],
  };
  const ts = renderHistoryScript(record, [], { run_id: "r" });
  assert.match(
    ts,
    /^\/\/ %%dw load_dataset --as w\n\/\/ path: data\/seattle-weather.csv\nconst w = await dw.loadDataset\(\{"path":"data\/seattle-weather.csv"\}\); \/\/ the %%dw cell above$/m,
  );
  assert.match(ts, /^ {2}\/\/ %dw load_dataset --data big \(input not recorded: over 16 KB as JSON\)$/m);
  assert.match(ts, /^\/\/ %dw load_dataset nope.csv \(failed before it was called: INVALID_INPUT\)$/m);
  assert.match(ts, /^\/\/ %dw load_dataset never.csv \(not run: no call recorded for this line; an earlier line of the cell failed\)$/m);
  assert.match(ts, /Findings: none/);
  assert.equal(tscErrors(ts), "");
});
