import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../helpers/tempWorkspace.js";

// The project's Python environment (npm run setup makes it, with jupyter_kernel_test and the dw
// kernelspec). DW_TEST_PYTHON points elsewhere, e.g. at a scratch venv holding the same.
const python = process.env.DW_TEST_PYTHON ?? join(repoRoot, ".venv", "bin", "python");

test("jupyter_kernel_test's conformance suite passes against the dw kernel, skipping only what test_dw_kernel.py lists", () => {
  assert.ok(existsSync(python), `no Python at ${python}: run npm run setup (or set DW_TEST_PYTHON)`);
  // Run as a script: `python -m unittest test/kernel/...` would import Python's own `test` package.
  const r = spawnSync(python, [join("test", "kernel", "test_dw_kernel.py"), "-v"], { cwd: repoRoot, encoding: "utf8", timeout: 300_000 });
  const output = `${r.stdout}\n${r.stderr}${r.error ? `\n${String(r.error)}` : ""}`;
  assert.equal(r.status, 0, output);
  assert.match(r.stderr, /^OK/m, output);
  // The script fails on a skip that EXPECTED_SKIPS does not list; this checks it did the check,
  // and that every skip unittest reported is one of those it names.
  const listed = /^dw: skipped only as listed in EXPECTED_SKIPS: (.*)$/m.exec(r.stderr);
  assert.ok(listed, output);
  const allowed = new Set(listed[1].split(", "));
  const skipped = [...r.stderr.matchAll(/^(test_\w+) \(.*?\)(?: \[.*?\])? \.\.\. skipped/gm)].map((m) => m[1]);
  assert.deepEqual(new Set(skipped), allowed, output);
  const ran = Number(/^Ran (\d+) tests?/m.exec(r.stderr)?.[1]);
  assert.ok(ran > allowed.size, output);
  assert.match(r.stderr, new RegExp(`^OK \\(skipped=${allowed.size}\\)$`, "m"), output);
});
