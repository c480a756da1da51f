import { test } from "node:test";
import assert from "node:assert/strict";
import { createBrowserNotebook } from "../../kernel/browserNotebook.js";
import { namesNotebookFile } from "../../kernel/namesNotebookFile.js";

const nb = (source: string) =>
  JSON.stringify({
    cells: [{ cell_type: "code", id: "c1", source, metadata: {}, outputs: [], execution_count: null }],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  });

test("a path the browser names (relative to the server's root) is the kernel's notebook when it ends the file's path on a segment", () => {
  assert.ok(namesNotebookFile("/home/ann/project/weather.ipynb", "weather.ipynb"));
  assert.ok(namesNotebookFile("/home/ann/project/weather.ipynb", "project/weather.ipynb"));
  assert.ok(namesNotebookFile("/home/ann/project/weather.ipynb", "/home/ann/project/weather.ipynb"));
  assert.ok(namesNotebookFile("/home/ann/project/weather.ipynb", "./project//weather.ipynb"));
  assert.ok(!namesNotebookFile("/home/ann/project/weather.ipynb", "other/weather.ipynb"));
  assert.ok(!namesNotebookFile("/home/ann/project/weather.ipynb", "her.ipynb"), "a suffix inside a name is not the file");
  assert.ok(!namesNotebookFile("/home/ann/project/weather.ipynb", "../project/weather.ipynb"));
  assert.ok(!namesNotebookFile("/home/ann/project/weather.ipynb", ""));
  assert.ok(!namesNotebookFile("/home/ann/project/weather.ipynb", "/"));
});

test("the kernel keeps the newest snapshot of its own notebook, and says why it ignores any other", async () => {
  let own: string | undefined = "/w/project/weather.ipynb";
  const b = createBrowserNotebook({ notebookPath: async () => own });
  assert.equal(b.latest(), undefined);
  assert.deepEqual(await b.receive({ type: "notebook_snapshot", path: "project/weather.ipynb", content: nb("1"), cell_id: "c1" }), { kept: true });
  assert.deepEqual(b.latest(), { file: "/w/project/weather.ipynb", content: nb("1"), cell_id: "c1" });
  assert.deepEqual(await b.receive({ type: "notebook_snapshot", path: "weather.ipynb", content: nb("2") }), { kept: true });
  assert.deepEqual(b.latest(), { file: "/w/project/weather.ipynb", content: nb("2") });

  // Another notebook sharing the kernel does not stand in for this one.
  const other = await b.receive({ type: "notebook_snapshot", path: "project/other.ipynb", content: nb("3") });
  assert.equal(other.kept, false);
  assert.match(other.kept ? "" : other.reason, /project\/other\.ipynb.*weather\.ipynb/);
  const notJson = await b.receive({ type: "notebook_snapshot", path: "weather.ipynb", content: "{ nope" });
  assert.match(notJson.kept ? "" : notJson.reason, /not JSON/);
  const notNotebook = await b.receive({ type: "notebook_snapshot", path: "weather.ipynb", content: JSON.stringify({ cells: "all of them" }) });
  assert.match(notNotebook.kept ? "" : notNotebook.reason, /not an nbformat notebook/);
  assert.equal(b.latest()!.content, nb("2"), "what was ignored left the last good snapshot in place");

  own = undefined;
  const unknown = await b.receive({ type: "notebook_snapshot", path: "weather.ipynb", content: nb("4") });
  assert.match(unknown.kept ? "" : unknown.reason, /does not know its notebook/);
});
