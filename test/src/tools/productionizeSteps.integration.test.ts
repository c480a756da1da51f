import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../src/index.js";
import type { StepProgress } from "../../../src/workspace/StepProgress.js";
import { ok, err } from "../../helpers/results.js";

// productionize on a real workspace, its real dw serve answering: each step is reported as it
// starts and ends, a governance block stops it with the steps so far, and an override ships it
// with the reason in the deployment commit.

let tw: TempWorkspace;
let ctx: ToolContext;
/** Every step the tool reported through progress, in order. */
let heard: StepProgress[] = [];
let lines: string[] = [];

before(async () => {
  tw = await makeTempWorkspace("dw-prod-steps-");
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test", cell: "%dw train_model …", notebook: { path: "q.ipynb", content: '{"cells": []}' } } });
  ctx.progress = (p) => {
    lines.push(p.message);
    if (p.step) heard.push(p.step);
  };
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  // Customers with an e-mail address each: the governance gate's PII case.
  const rows = ["email,age,tenure_months,monthly_spend"];
  for (let i = 0; i < 120; i++) rows.push(`user${i}.name@example${i % 3}.com,${20 + ((i * 7) % 50)},${(i * 13) % 72},${(30 + ((i * 17) % 70)).toFixed(2)}`);
  await writeFile(join(tw.dir, "data", "customers.csv"), `${rows.join("\n")}\n`);
  ok(await runTool("load_dataset", { path: "data/customers.csv", dataset_id: "customers" }, ctx));
});
after(async () => tw.cleanup());

const git = (...args: string[]) => execFileSync("git", args, { cwd: tw.dir, encoding: "utf8" });
const ORDER = ["snapshot", "quality", "cost", "register", "governance", "deploy", "monitoring"];

test("productionize reports each step as it starts and ends, and lists them in its output", async () => {
  const run = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["precipitation", "temp_min", "wind"] }, ctx));
  heard = [];
  lines = [];
  const p = ok(await runTool("productionize", { run_id: run.run_id }, ctx));
  const steps = p.steps as StepProgress[];
  assert.deepEqual(
    steps.map((s) => s.name),
    ORDER,
  );
  // Each step is heard running, then ended, before the next one starts.
  assert.deepEqual(
    heard.map((s) => `${s.name}:${s.status === "running" ? "running" : "ended"}`),
    ORDER.flatMap((n) => [`${n}:running`, `${n}:ended`]),
  );
  assert.deepEqual(
    heard.filter((s) => s.status !== "running"),
    steps,
  );
  for (const s of steps) {
    assert.ok(s.seconds !== undefined && s.seconds >= 0 && s.seconds < 120, `${s.name} took ${s.seconds} s`);
    assert.ok(s.detail && s.detail.length > 10, `${s.name} says what it did`);
  }
  const by = Object.fromEntries(steps.map((s) => [s.name, s]));
  assert.equal(by.snapshot.status, "passed");
  assert.match(by.snapshot.detail!, new RegExp(`run ${run.run_id} at commit [0-9a-f]{7}: linear_regression on weather, its notebook \\(?`));
  assert.ok(["passed", "warned"].includes(by.quality.status), by.quality.detail);
  assert.equal(by.cost.status, "passed");
  assert.equal(by.register.status, "passed");
  assert.equal(by.register.detail, "registered as temp_max v1 (named after the run's target 'temp_max').");
  assert.equal(by.governance.status, "passed");
  assert.equal(by.deploy.status, "passed");
  assert.match(by.deploy.detail!, /temp_max@production moved to v1; the server answers at http:\/\/127\.0\.0\.1:\d+\//);
  assert.equal(by.monitoring.status, "passed");
  assert.match(by.monitoring.detail!, /git log refs\/dw\/monitoring\/temp_max\/production/);
  assert.equal(p.governance.decision, "allow");
  assert.equal(p.override, undefined);
  // The progress lines a notebook cell shows name the step and its status.
  assert.ok(lines.includes("governance: running"), lines.join("\n"));
  assert.ok(lines.some((l) => l.startsWith("deploy: passed (temp_max@production moved to v1")));

  // The same run again: its version is reused, which the register step says.
  const again = ok(await runTool("productionize", { run_id: run.run_id }, ctx));
  const register = (again.steps as StepProgress[]).find((s) => s.name === "register")!;
  assert.equal(register.status, "skipped");
  assert.equal(register.detail, "already registered as temp_max v1; that version is reused.");
});

test("a governance block stops productionize with the steps so far; an override ships it and is recorded", async () => {
  // An e-mail column passed explicitly as a feature trains only with an override.
  const refused = err(await runTool("train_model", { dataset_id: "customers", target: "monthly_spend", features: ["email", "age", "tenure_months"] }, ctx));
  assert.equal(refused.code, "GATE_FAILED");
  const run = ok(
    await runTool(
      "train_model",
      {
        dataset_id: "customers",
        target: "monthly_spend",
        features: ["email", "age", "tenure_months"],
        override_reason: "test: a model trained on the e-mail column on purpose",
      },
      ctx,
    ),
  );

  heard = [];
  const blocked = err(await runTool("productionize", { run_id: run.run_id }, ctx));
  assert.equal(blocked.code, "GATE_FAILED");
  assert.match(blocked.message, /^monthly_spend v1 may not be served as production: the governance gate decided review\./);
  assert.match(blocked.message, /forbidden PII features 'email' \(EMAIL/i);
  assert.match(blocked.hint!, /request_approval \(model_name monthly_spend, version 1, alias production\)/);
  const d = blocked.details!;
  assert.equal(d.model_name, "monthly_spend");
  assert.equal(d.version, 1);
  assert.equal(d.alias, "production");
  assert.equal(d.decision, "review");
  const steps = d.steps as StepProgress[];
  assert.deepEqual(
    steps.map((s) => s.name),
    ["snapshot", "quality", "cost", "register", "governance"],
  );
  // The quality step shows the training's verdict: a failed report (the unique e-mail values look
  // like an ID) that the training's override let through is "overridden", naming who and why.
  const quality = JSON.parse(git("show", `refs/dw/runs/${run.run_id}:gates/quality.json`)) as { status: string };
  const expected = { fail: "overridden", warn: "warned", pass: "passed" }[quality.status];
  assert.equal(steps[1].status, expected, steps[1].detail);
  if (expected === "overridden") assert.match(steps[1].detail!, /Overridden at training by .+: test: a model trained on the e-mail column on purpose$/);
  assert.deepEqual(
    steps.filter((s) => s.name !== "quality").map((s) => s.status),
    ["passed", "passed", "passed", "failed"],
  );
  assert.match(steps[4].detail!, /PII/);
  assert.deepEqual(
    heard.filter((s) => s.status !== "running"),
    steps,
  );
  // Nothing was deployed.
  assert.equal(git("for-each-ref", "refs/dw/deployments/monthly_spend").trim(), "");

  const reason = "the e-mail column is hashed upstream before scoring";
  const shipped = ok(await runTool("productionize", { run_id: run.run_id, override_reason: reason }, ctx));
  const by = Object.fromEntries((shipped.steps as StepProgress[]).map((s) => [s.name, s]));
  assert.equal(by.register.status, "skipped");
  assert.equal(by.governance.status, "overridden");
  assert.match(by.governance.detail!, new RegExp(`Overridden by .+: ${reason}`));
  assert.equal(by.deploy.status, "passed");
  assert.equal(shipped.override.reason, reason);
  const override = JSON.parse(git("show", "refs/dw/deployments/monthly_spend/production:gates/override.json"));
  assert.equal(override.reason, reason);
  assert.deepEqual(override.gates, ["governance"]);
  assert.match(git("log", "-1", "--format=%B", "refs/dw/deployments/monthly_spend/production"), new RegExp(`Dw-Override: .+: ${reason}`));
});

test("an override reason shorter than 10 characters is refused before anything runs", async () => {
  const run = ok(await runTool("train_model", { dataset_id: "weather", target: "wind", features: ["temp_max"] }, ctx));
  heard = [];
  const e = err(await runTool("productionize", { run_id: run.run_id, override_reason: "because" }, ctx));
  assert.equal(e.code, "INVALID_INPUT");
  assert.match(e.message, /override_reason/);
  assert.deepEqual(heard, []);
});
