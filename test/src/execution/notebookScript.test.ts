import { test } from "node:test";
import assert from "node:assert/strict";
import { notebookScript } from "../../../src/execution/notebookScript.js";
import { isDwError } from "../../../src/errors/DwError.js";
import { sessionNotebook } from "./executionFixture.js";

test("notebook.ts: cells in order with // %% [id] separators, markdown and magics as comments", () => {
  const nb = JSON.parse(sessionNotebook());
  nb.cells.push(
    { cell_type: "raw", id: "r", metadata: {}, source: "raw text" },
    { cell_type: "code", id: "m", metadata: {}, outputs: [], source: "%%dw load_dataset\npath: x.csv" },
  );
  const ts = notebookScript(JSON.stringify(nb), "weather.ipynb");
  assert.equal(
    ts,
    [
      "// weather.ipynb as a paired script, written by dw from notebook.ipynb: code cells as code, markdown as comments, magics as comments.",
      "",
      "// %% [title] markdown",
      "// # Weather",
      "// Predict the day's high.",
      "",
      "// %% [load]",
      "// %dw load_dataset data/seattle-weather.csv --dataset_id weather --as weather",
      "const rows: number = weather.rows;",
      "",
      "// %% [look]",
      "console.log(rows);",
      "// %dw help train_model",
      "",
      "// %% [feat]",
      'const features = ["precipitation", "temp_min", "wind"];',
      "function label(f: string) { return f.toUpperCase(); }",
      "",
      "// %% [skipped]",
      "const scale = 2;",
      "",
      "// %% [train]",
      'const run = await dw.trainModel({ dataset_id: "weather", target: "temp_max", features, algorithm: "linear_regression" });',
      "// %dw get_feature_stats --dataset_id weather --as stats",
      "console.log(label(run.run_id), stats);",
      "",
      "// %% [r] raw",
      "// raw text",
      "",
      "// %% [m]",
      "// %%dw load_dataset",
      "// path: x.csv",
      "",
    ].join("\n"),
  );
});

test("a damaged notebook is a DATA_ERROR naming the field", () => {
  const bad = JSON.parse(sessionNotebook());
  bad.cells[2].cell_type = "python";
  for (const [text, field] of [
    [JSON.stringify(bad), "cells[2].cell_type"],
    ["{not json", "notebook"],
    [JSON.stringify({ cells: [{ cell_type: "code" }] }), "cells[0].source"],
  ] as const) {
    assert.throws(
      () => notebookScript(text, "w.ipynb"),
      (e) => isDwError(e) && e.code === "DATA_ERROR" && e.details?.field === field && /w\.ipynb/.test(e.message) && typeof e.hint === "string",
      field,
    );
  }
});
