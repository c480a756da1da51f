import { test } from "node:test";
import assert from "node:assert/strict";
import { NOTEBOOK_LIMITS, stripNotebook } from "../../../src/execution/stripNotebook.js";

const limits = { maxImageChars: 1000, maxTextChars: 2000, maxNotebookChars: 20000 };

function notebook(outputs: Record<string, unknown>[][], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { widgets: { "application/vnd.jupyter.widget-state+json": { state: { big: "x".repeat(5000) } } }, kernelspec: { name: "dw" } },
    cells: outputs.map((o, i) => ({ cell_type: "code", id: `c${i}`, metadata: {}, execution_count: i + 1, source: `cell ${i}`, outputs: o })),
    ...extra,
  });
}

test("widget state goes; images and texts over the limits become placeholders naming the cell, the mime type and the size", () => {
  const text = notebook([
    [
      { output_type: "display_data", metadata: {}, data: { "application/vnd.jupyter.widget-view+json": { model_id: "m" } } },
      { output_type: "display_data", metadata: {}, data: { "image/png": "A".repeat(1500), "text/plain": "<Figure>" } },
      { output_type: "display_data", metadata: {}, data: { "image/png": "small" } },
    ],
    [{ output_type: "stream", name: "stdout", text: ["y".repeat(1500), "y".repeat(1500)] }],
    [{ output_type: "error", ename: "E", evalue: "v", traceback: ["z".repeat(3000)] }],
  ]);
  const { text: out, removed } = stripNotebook(text, limits);
  const nb = JSON.parse(out);
  assert.equal(nb.metadata.widgets, undefined);
  assert.deepEqual(nb.metadata.kernelspec, { name: "dw" });
  assert.equal(nb.cells[0].outputs.length, 2, "an output holding only a widget view is dropped");
  assert.deepEqual(Object.keys(nb.cells[0].outputs[0].data), ["text/plain"]);
  assert.equal(
    nb.cells[0].outputs[0].data["text/plain"],
    "<Figure>\n[dw: image/png output of cell c0 removed from the run commit: 1500 characters, over the limit in docs/notebook-state.md]",
  );
  assert.deepEqual(nb.cells[0].outputs[1].data, { "image/png": "small" });
  assert.match(nb.cells[1].outputs[0].text, /^\[dw: stream text output of cell c1 removed from the run commit: 3000 characters/);
  assert.match(nb.cells[2].outputs[0].traceback[0], /^\[dw: traceback output of cell c2 removed from the run commit: 3000 characters/);
  assert.deepEqual(removed, [
    { cell: "c0", what: "image/png", chars: 1500 },
    { cell: "c1", what: "stream text", chars: 3000 },
    { cell: "c2", what: "traceback", chars: 3000 },
  ]);
  assert.ok(out.endsWith("}\n") && out.includes('\n "cells": ['), "nbformat's one-space indent");
});

test("over the notebook limit, the largest outputs go first until it fits; small ones stay", () => {
  const outputs = Array.from({ length: 30 }, (_, i) => [{ output_type: "stream", name: "stdout", text: "o".repeat(i === 7 ? 1900 : 900) }]);
  const { text, removed } = stripNotebook(notebook(outputs), limits);
  assert.ok(text.length <= limits.maxNotebookChars, `${text.length} chars`);
  assert.equal(removed[0].cell, "c7", "the largest output first");
  assert.ok(removed.length < 30, "only as many as needed");
  const kept = JSON.parse(text).cells.filter((c: { outputs: { text: string }[] }) => !c.outputs[0].text.startsWith("[dw:")).length;
  assert.equal(kept + removed.length, 30);
});

test("a notebook with nothing to take out is kept byte for byte", () => {
  const text = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: "markdown", id: "m", metadata: {}, source: "# hi" }] });
  const { text: out, removed } = stripNotebook(text);
  assert.equal(out, text);
  assert.deepEqual(removed, []);
  const small = notebook([[{ output_type: "stream", name: "stdout", text: "ok" }]]).replace(/"widgets":\{.*?\}\}\},/, "");
  assert.ok(!small.includes("widgets"));
  assert.equal(stripNotebook(small, limits).text, small, "outputs under the limits, no widgets: unchanged");
  assert.equal(NOTEBOOK_LIMITS.maxNotebookChars, 2 * 1024 * 1024, "the limit docs/notebook-state.md documents");
});
