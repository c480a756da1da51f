import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { changesState, createToolCaller } from "../../kernel/createToolCaller.js";
import { createResultRegistry } from "../../kernel/display.js";
import { makeTempWorkspace } from "../helpers/tempWorkspace.js";

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
