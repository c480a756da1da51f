import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { changesState, createToolCaller } from "../../kernel/createToolCaller.js";
import { createResultRegistry } from "../../kernel/display.js";
import { makeTempWorkspace } from "../helpers/tempWorkspace.js";
import { createHistory } from "../../kernel/history.js";
import { createBrowserNotebook } from "../../kernel/browserNotebook.js";
import type { RunOrigin } from "../../src/runs/RunOrigin.js";

test("a tool call from the kernel in a workspace dw cannot open is an error result, not a kernel fault", async () => {
  const dir = await mkdtemp(join(tmpdir(), "dw-kernel-ws-"));
  try {
    // A `.git` file that is not a `gitdir:` pointer: the workspace cannot be opened.
    await writeFile(join(dir, ".git"), "not a pointer\n");
    let changed = 0;
    const caller = createToolCaller({
      cwd: () => dir,
      currentCell: () => "%dw get_model_versions --name m",
      env: {},
      results: createResultRegistry(),
      onStateChange: () => changed++,
    });
    const r = await caller.call("get_model_versions", { model_name: "m" });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.code, "WORKSPACE_ERROR");
    assert.match(r.error.message, /\.git/);
    assert.equal(changed, 0);
    // Bad input is still reported first, without touching the workspace.
    const bad = await caller.call("get_model_versions", { nope: 1 });
    assert.equal(bad.ok, false);
    if (!bad.ok) assert.equal(bad.error.code, "INVALID_INPUT");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("the sidebar is refreshed after a call that writes or serves, as each tool's annotations say, never after a read", async () => {
  // The tools that refreshed it before the rule moved onto the tools still do.
  for (const name of ["train_model", "register_model", "deploy_model", "productionize"]) assert.ok(changesState(name), name);
  for (const name of ["get_model_versions", "get_feature_stats", "search_datasets"]) assert.ok(!changesState(name), name);
  assert.ok(!changesState("no_such_tool"));
  const tw = await makeTempWorkspace("dw-kernel-state-");
  try {
    const changed: string[] = [];
    const caller = createToolCaller({
      cwd: () => tw.dir,
      currentCell: () => undefined,
      env: {},
      results: createResultRegistry(),
      onStateChange: (ctx) => void changed.push(ctx.workspace.root),
    });
    const loaded = await caller.call("load_dataset", { path: "data/seattle-weather.csv" });
    assert.ok(loaded.ok, JSON.stringify(loaded));
    assert.equal(changed.length, 1, "load_dataset writes the workspace");
    const stats = await caller.call("get_feature_stats", { dataset_id: "seattle-weather", columns: ["wind"] });
    assert.ok(stats.ok, JSON.stringify(stats));
    assert.equal(changed.length, 1, "get_feature_stats only reads");
    const failed = await caller.call("train_model", { dataset_id: "seattle-weather", target: "nope" });
    assert.equal(failed.ok, false);
    assert.equal(changed.length, 1, "a failed call changes nothing");
  } finally {
    await tw.cleanup();
  }
});

const notebookText = (source: string) =>
  JSON.stringify({
    cells: [{ cell_type: "code", id: "c1", source, metadata: {}, outputs: [], execution_count: null }],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  });

/** A caller over a real workspace whose history and notebook are the kernel's, and the origins its writing calls carried. */
async function kernelLike(dir: string, env: NodeJS.ProcessEnv = {}) {
  const history = createHistory();
  const browser = createBrowserNotebook({ notebookPath: async () => (env.DW_NOTEBOOK ? join(dir, "weather.ipynb") : undefined) });
  let cell: string | undefined;
  const origins: RunOrigin[] = [];
  const caller = createToolCaller({
    cwd: () => dir,
    currentCell: () => cell,
    currentCellId: () => undefined,
    env,
    results: createResultRegistry(),
    onStateChange: (ctx) => void origins.push(structuredClone(ctx.origin!)),
    history,
    browserNotebook: () => browser.latest(),
  });
  /** Runs `calls` as one cell would: recorded, then ended. */
  const runCell = async (count: number, code: string, calls: (c: typeof caller) => Promise<unknown>) => {
    const recorded = history.record(count, code, `cell-${count}`);
    cell = code;
    try {
      await calls(caller);
    } finally {
      cell = undefined;
      recorded?.end("ok");
    }
  };
  return { history, browser, caller, origins, runCell };
}

test("every call from a cell carries the history as it stands (the cell running, its calls so far), and is added to its cell", async () => {
  const tw = await makeTempWorkspace("dw-kernel-history-");
  try {
    const k = await kernelLike(tw.dir);
    await k.runCell(1, "%dw load_dataset data/seattle-weather.csv --dataset_id weather --as w", (c) =>
      c.call("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, { site: { line: 1, as: "w" } }),
    );
    await k.runCell(2, "train twice", async (c) => {
      const bad = await c.call("train_model", { dataset_id: "weather", target: "no_such_column" });
      assert.equal(bad.ok, false);
      const good = await c.call("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min"] });
      assert.ok(good.ok, JSON.stringify(good));
    });
    // The origin of the training that made a run: cell 1 done, cell 2 running with its failed call before it.
    const trained = k.origins.at(-1)!.execution!;
    assert.deepEqual(
      trained.cells.map((c) => [c.execution_count, c.cell_id, c.status]),
      [
        [1, "cell-1", "ok"],
        [2, "cell-2", "running"],
      ],
    );
    assert.deepEqual(trained.cells[0].dw_calls, [
      { tool: "load_dataset", line: 1, input: { path: "data/seattle-weather.csv", dataset_id: "weather" }, as: "w", ok: true, result_id: "weather" },
    ]);
    assert.deepEqual(
      trained.cells[1].dw_calls.map((c) => [c.tool, c.ok, c.error_code, c.pending]),
      [
        ["train_model", false, "INVALID_INPUT", undefined],
        ["train_model", true, undefined, true],
      ],
      "the failed call, then the call being made (pending), with the input it was made with",
    );
    assert.deepEqual(trained.cells[1].dw_calls[1].input, { dataset_id: "weather", target: "temp_max", features: ["temp_min"] });
    // Afterwards the cell holds both calls, the run's id on the one that made it.
    const after = k.history.snapshot().cells[1];
    assert.equal(after.dw_calls.length, 2);
    assert.equal(after.dw_calls[1].pending, undefined, "the history itself keeps only finished calls");
    assert.match(after.dw_calls[1].result_id ?? "", /^\d{8}-\d{6}-[0-9a-f]{6}$/);
    assert.equal(after.status, "ok");

    // A sidebar call (cell "") carries the history too, and is no cell's call.
    const before = k.history.snapshot();
    const sidebar = await k.caller.call("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather2" }, { cell: "" });
    assert.ok(sidebar.ok);
    assert.deepEqual(k.origins.at(-1)!.execution, before);
    assert.deepEqual(k.history.snapshot(), before);
  } finally {
    await tw.cleanup();
  }
});

test("the notebook a run records: the browser's snapshot (with the saved file) when it has one of this notebook, else the file on disk", async () => {
  const tw = await makeTempWorkspace("dw-kernel-browser-nb-");
  try {
    const file = join(tw.dir, "weather.ipynb");
    await writeFile(file, notebookText("saved"));
    const k = await kernelLike(tw.dir, { DW_NOTEBOOK: file });
    const load = (id: string, options?: Parameters<typeof k.caller.call>[2]) =>
      k.caller.call("load_dataset", { path: "data/seattle-weather.csv", dataset_id: id }, options);

    assert.ok((await load("a")).ok);
    assert.deepEqual(k.origins.at(-1)!.notebook, { path: "weather.ipynb", content: notebookText("saved"), source: "disk" });

    assert.deepEqual(
      await k.browser.receive({ type: "notebook_snapshot", path: "sub/other.ipynb", content: notebookText("other") }).then((r) => r.kept),
      false,
    );
    assert.ok((await load("b")).ok);
    assert.equal(k.origins.at(-1)!.notebook!.source, "disk", "another notebook's snapshot is not this one's");

    assert.deepEqual(await k.browser.receive({ type: "notebook_snapshot", path: "weather.ipynb", content: notebookText("unsaved edit") }), { kept: true });
    assert.ok((await load("c")).ok);
    assert.deepEqual(k.origins.at(-1)!.notebook, {
      path: "weather.ipynb",
      content: notebookText("unsaved edit"),
      source: "browser",
      saved: notebookText("saved"),
    });

    // Productionize and Retrain send the notebook themselves: it is the browser's too.
    assert.ok((await load("d", { cell: "", notebook: { path: "weather.ipynb", content: notebookText("from the button") } })).ok);
    assert.deepEqual(k.origins.at(-1)!.notebook, {
      path: "weather.ipynb",
      content: notebookText("from the button"),
      source: "browser",
      saved: notebookText("saved"),
    });
  } finally {
    await tw.cleanup();
  }
});
