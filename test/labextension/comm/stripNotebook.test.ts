import { test } from "node:test";
import assert from "node:assert/strict";
import { SNAPSHOT_IMAGE_LIMIT, stripNotebook } from "../../../labextension/src/comm/stripNotebook.js";

// What the browser leaves out of the notebook it sends the kernel before each cell: images over
// the limit and widget state and views; everything else is sent as the user has it.

const big = "A".repeat(SNAPSHOT_IMAGE_LIMIT + 1);
const small = "iVBORw0KGgo=";

test("images over the limit and widget views are left out, with a line saying what was there; the rest is kept", () => {
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "dw" }, widgets: { "application/vnd.jupyter.widget-state+json": { state: { a: 1 } } } },
    cells: [
      { cell_type: "markdown", id: "m", source: "# Title", metadata: {} },
      {
        cell_type: "code",
        id: "plot",
        source: "plot()",
        metadata: {},
        execution_count: 3,
        outputs: [
          { output_type: "display_data", data: { "image/png": big, "text/plain": "<Figure>" }, metadata: { "image/png": { width: 600 }, isolated: true } },
          { output_type: "display_data", data: { "image/png": [big.slice(0, 10), big.slice(10)] }, metadata: {} },
          { output_type: "display_data", data: { "image/png": small }, metadata: {} },
          { output_type: "display_data", data: { "application/vnd.jupyter.widget-view+json": { model_id: "w1" } }, metadata: {} },
          { output_type: "stream", name: "stdout", text: "x".repeat(SNAPSHOT_IMAGE_LIMIT * 2) },
        ],
      },
    ],
  };
  const before = JSON.stringify(notebook);
  const stripped = stripNotebook(notebook) as typeof notebook;
  assert.equal(JSON.stringify(notebook), before, "the notebook given is not changed");
  assert.deepEqual(stripped.metadata, { kernelspec: { name: "dw" } });
  assert.deepEqual(stripped.cells[0], notebook.cells[0]);
  const outputs = stripped.cells[1].outputs!;
  assert.deepEqual(outputs[0], { output_type: "display_data", data: { "text/plain": "<Figure>" }, metadata: { isolated: true } });
  assert.deepEqual(outputs[1].data, { "text/plain": `[left out of the dw snapshot: image/png (${big.length} characters)]` });
  assert.equal(outputs[2], notebook.cells[1].outputs![2], "a small image is sent as it is");
  assert.deepEqual(outputs[3].data, {
    "text/plain": `[left out of the dw snapshot: application/vnd.jupyter.widget-view+json (${JSON.stringify({ model_id: "w1" }).length} characters)]`,
  });
  assert.equal(outputs[4], notebook.cells[1].outputs![4], "text is the kernel's to judge: the run commit has its own limits");
  assert.ok(JSON.stringify(stripped).length < SNAPSHOT_IMAGE_LIMIT * 2 + 2000);
});

test("a notebook without outputs, metadata or cells comes back as it was", () => {
  const bare = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [{ cell_type: "code", id: "a", source: "1", metadata: {}, outputs: [], execution_count: null }],
  };
  assert.deepEqual(stripNotebook(bare), bare);
  assert.deepEqual(stripNotebook({ nbformat: 4 }), { nbformat: 4, metadata: undefined, cells: undefined });
});
