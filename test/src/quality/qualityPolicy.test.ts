import { test, after } from "node:test";
import assert from "node:assert/strict";
import { writeFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace } from "../../helpers/tempWorkspace.js";
import { ok, err } from "../../helpers/results.js";
import { createToolContext, runTool } from "../../../src/index.js";
import { qualityThresholds } from "../../../src/quality/qualityPolicy.js";

const tw = await makeTempWorkspace("dw-quality-policy-");
after(() => tw.cleanup());
const ctx = await createToolContext({ cwd: tw.dir });
ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "w" }, ctx));
const policy = (text: string) => writeFile(join(tw.dir, "dw.policy.yaml"), text);
const check = (input: Record<string, unknown>) => runTool("run_quality_check", { dataset_id: "w", ...input }, ctx);

test("thresholds from dw.policy.yaml change the outcome", async () => {
  const before = ok(await check({ target: "weather" }));
  assert.equal(before.status, "warn");

  await policy("governance:\n  anything: here\nquality:\n  class_imbalance:\n    warn: 0.2\n    fail: 0.05\n  freshness:\n    fail_after_days: 365\n");
  const after = ok(await check({ target: "weather" }));
  assert.equal(after.status, "fail");
  assert.deepEqual(
    after.findings.filter((f: { status: string }) => f.status === "fail").map((f: { check: string }) => f.check),
    ["freshness", "class_imbalance"],
  );
  assert.deepEqual(after.thresholds.class_imbalance, { warn: 0.2, fail: 0.05 });
  assert.equal(after.thresholds.null_rate.warn, 0.05, "keys not in the policy keep their defaults");

  await policy("quality:\n  class_imbalance: false\n");
  const off = ok(await check({ target: "weather" }));
  assert.equal(off.status, "pass");
  assert.equal(off.thresholds.class_imbalance, null);
  assert.ok(!off.findings.some((f: { check: string }) => f.check === "class_imbalance"));
  await rm(join(tw.dir, "dw.policy.yaml"));
});

test("an invalid quality section is a CONFIG_ERROR naming the field, the file and the line", async () => {
  await policy("quality:\n  null_rate:\n    warn: high\n");
  const e = err(await check({}));
  assert.equal(e.code, "CONFIG_ERROR");
  assert.match(e.message, /dw\.policy\.yaml, line 3: quality\.null_rate\.warn/);
  assert.equal(e.details?.field, "quality.null_rate.warn");

  await policy("quality:\n  drift:\n    warn: 0.3\n    fail: 0.2\n");
  const order = err(await check({}));
  assert.match(order.message, /quality\.drift\.warn: .*must not be above fail/);

  await policy("quality:\n  nul_rate: {warn: 0.1}\n");
  const unknown = err(await check({}));
  assert.match(unknown.message, /quality\.nul_rate: unknown key; the quality checks are null_rate, duplicate_rows/);
  assert.equal(unknown.details?.line, 2);

  await policy("quality:\n  duplicate_rows:\n    fail: 0.001\n");
  assert.match(err(await check({})).message, /quality\.duplicate_rows: warn \(0\.01\) is above fail \(0\.001\)/);
  await rm(join(tw.dir, "dw.policy.yaml"));
  ok(await check({}));
});

test("defaults when the section is absent; class_imbalance's warn must be the larger share", () => {
  assert.equal(qualityThresholds(undefined).drift?.fail, 0.25);
  assert.throws(() => qualityThresholds({ class_imbalance: { warn: 0.01, fail: 0.1 } }), /quality\.class_imbalance: warn \(0\.01\) is below fail/);
  assert.throws(() => qualityThresholds({ freshness: { warn_after_days: 10, fail_after_days: 2 } }), /warn_after_days: must not be above fail_after_days/);
});
