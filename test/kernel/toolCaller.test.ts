import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createToolCaller } from "../../kernel/createToolCaller.js";
import { createResultRegistry } from "../../kernel/display.js";

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
