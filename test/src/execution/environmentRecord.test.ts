import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { release } from "node:os";
import { environmentRecord } from "../../../src/execution/environmentRecord.js";
import { DW_VERSION } from "../../../src/version.js";
import { repoRoot } from "../../helpers/tempWorkspace.js";

test("the environment names node, v8, dw, tslab and every dependency at its installed version, the OS and the CPU; once per process", async () => {
  const env = await environmentRecord();
  assert.equal(env.node, process.versions.node);
  assert.equal(env.v8, process.versions.v8);
  assert.equal(env.dw, DW_VERSION);
  const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
  assert.deepEqual(Object.keys(env.dependencies), Object.keys(pkg.dependencies).sort());
  for (const name of Object.keys(pkg.dependencies)) {
    const installed = JSON.parse(readFileSync(join(repoRoot, "node_modules", name, "package.json"), "utf8")).version;
    assert.equal(env.dependencies[name], installed, name);
  }
  assert.equal(env.tslab, JSON.parse(readFileSync(join(repoRoot, "node_modules", "tslab", "package.json"), "utf8")).version);
  assert.deepEqual(env.os, { platform: process.platform, release: release(), arch: process.arch });
  assert.ok(env.cpu.count >= 1 && env.cpu.model.length > 0);
  assert.equal(environmentRecord(), environmentRecord(), "the same promise: computed once");
});
