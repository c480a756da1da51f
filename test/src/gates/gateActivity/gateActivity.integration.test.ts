import { before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../../helpers/tempWorkspace.js";
import { testSequence } from "../../../helpers/testSequence.js";
import { createToolContext, runTool, type ToolContext } from "../../../../src/index.js";
import { ok, err } from "../../../helpers/results.js";
import { GateActivity } from "../../../../src/policy/GateActivity.js";
import { renderResultHtml } from "../../../../src/tools/renderResultHtml.js";

let tw: TempWorkspace;
let ctx: ToolContext;
let runId: string;
const git = (...args: string[]) => execFileSync("git", args, { cwd: tw.dir, encoding: "utf8" });
const gates = async (input: Record<string, unknown> = {}) => {
  const out = ok(await runTool("get_gate_reports", input, ctx));
  GateActivity.parse(out); // what the sidebar's comm validates
  return out;
};

before(async () => {
  tw = await makeTempWorkspace();
  let t = Date.parse("2026-04-01T09:00:00Z");
  // A clock that moves a minute per read, so every record has its own time and "newest" is decided.
  ctx = { ...(await createToolContext({ cwd: tw.dir, origin: { via: "test" } })), now: () => new Date((t += 60_000)) };
  ok(await runTool("load_dataset", { path: "data/seattle-weather.csv", dataset_id: "weather" }, ctx));
  runId = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["precipitation", "temp_min", "wind"] }, ctx)).run_id;
  ok(await runTool("register_model", { model_id: runId, model_name: "temp" }, ctx));
  await writeFile(join(tw.dir, "dw.policy.yaml"), "governance:\n  deployment:\n    approval_required_aliases: [production]\n");
});
after(async () => tw.cleanup());

const step = testSequence("gates, overrides and approvals across a model's life, in order");

step("after one training: the newest report of each gate is the run's, and nothing was overridden or requested", async () => {
  const a = await gates();
  assert.deepEqual(a.latest.map((r: { gate: string }) => r.gate).sort(), ["cost", "governance", "quality"]);
  for (const r of a.latest) {
    assert.equal(r.subject.step, "train_model");
    assert.equal(r.subject.run_id, runId);
    assert.equal(r.subject.commit, git("rev-parse", `refs/dw/runs/${runId}`).trim());
    assert.ok(Array.isArray(r.findings) && r.summary.length > 0);
  }
  assert.deepEqual(a.overrides, []);
  assert.deepEqual(a.approvals, []);
  assert.deepEqual(a.problems, []);
  assert.match(renderResultHtml("get_gate_reports", a) ?? "", /no override/);
});

step("request_approval records a request on the review chain that the deploy gate and check_policy do not count", async () => {
  const r = ok(
    await runTool("request_approval", { model_name: "temp", version: 1, alias: "production", reason: "r2 0.76 on the holdout", requested_by: "Ada" }, ctx),
  );
  assert.equal(r.state, "requested");
  assert.equal(r.already_requested, false);
  assert.equal(r.ref, "refs/dw/reviews/temp/1");
  assert.equal(git("rev-parse", "refs/dw/reviews/temp/1").trim(), r.commit);
  assert.match(git("log", "-1", "--format=%s%n%b", r.commit), /dw review temp v1: approval requested for production by Ada\nr2 0\.76 on the holdout/);
  assert.equal(JSON.parse(git("show", `${r.commit}:approval_request.json`)).model_commit, git("rev-parse", "refs/dw/models/temp/1").trim());
  assert.match(r.decide, /^%dw request_governance_review --model temp --version 1 --decision approve --alias production/);

  // The request decides nothing: production still needs a review.
  const policy = ok(await runTool("check_policy", { model_name: "temp", version: 1, alias: "production" }, ctx));
  assert.equal(policy.decision, "review");
  assert.equal(policy.review, undefined);

  const a = await gates();
  assert.equal(a.approvals.length, 1);
  assert.deepEqual(
    { ...a.approvals[0], at: undefined },
    { model: "temp", version: 1, alias: "production", state: "requested", by: "Ada", reason: "r2 0.76 on the holdout", commit: r.commit, at: undefined },
  );

  // Asking again while it waits records nothing new.
  const again = ok(await runTool("request_approval", { model_name: "temp", version: 1, alias: "production", reason: "please have a look" }, ctx));
  assert.equal(again.already_requested, true);
  assert.equal(again.commit, r.commit);
  assert.equal(git("rev-parse", "refs/dw/reviews/temp/1").trim(), r.commit);
  assert.match(renderResultHtml("request_approval", again) ?? "", /already requested/);
});

step("a deployment let through the governance gate with a reason is listed as an override, with who, why and the findings", async () => {
  ok(
    await runTool(
      "deploy_model",
      { model_name: "temp", version: 1, alias: "production", override_reason: "the reviewer is away, ticket OPS-7 covers it" },
      ctx,
    ),
  );
  const a = await gates();
  assert.equal(a.overrides.length, 1);
  const o = a.overrides[0];
  assert.equal(o.reason, "the reviewer is away, ticket OPS-7 covers it");
  assert.deepEqual(o.gates, ["governance"]);
  assert.ok(o.findings.some((f: { check: string }) => f.check === "approval"));
  assert.deepEqual(
    { step: o.subject.step, model: o.subject.model, alias: o.subject.alias, version: o.subject.version },
    {
      step: "deploy_model",
      model: "temp",
      alias: "production",
      version: 1,
    },
  );
  assert.equal(o.subject.commit, git("rev-parse", "refs/dw/deployments/temp/production").trim());
  // The newest governance report is now the deploy gate's, newer than the training's.
  const governance = a.latest.find((r: { gate: string }) => r.gate === "governance");
  assert.equal(governance.subject.step, "deploy_model");
  assert.equal(governance.status, "fail");
  assert.equal(a.latest[0].gate, "governance");
  assert.match(renderResultHtml("get_gate_reports", a) ?? "", /OPS-7/);
});

step("a review answers the request; asking for an approved version is a CONFLICT", async () => {
  const review = ok(
    await runTool(
      "request_governance_review",
      { model_name: "temp", version: 1, decision: "approve", alias: "production", reason: "checked the backtest myself", reviewer: "Bob" },
      ctx,
    ),
  );
  const a = await gates();
  assert.equal(a.approvals.length, 1);
  assert.equal(a.approvals[0].state, "approved");
  assert.equal(a.approvals[0].by, "Bob");
  assert.equal(a.approvals[0].commit, review.commit);
  assert.equal(ok(await runTool("check_policy", { model_name: "temp", version: 1, alias: "production" }, ctx)).decision, "allow");

  const e = err(await runTool("request_approval", { model_name: "temp", version: 1, alias: "production", reason: "once more, please" }, ctx));
  assert.equal(e.code, "CONFLICT");
  assert.match(e.message, /already approved for production by Bob/);
  assert.match(e.hint ?? "", /deploy_model --model_name temp --version 1 --alias production/);

  // A request for another alias waits beside the approval.
  ok(await runTool("request_approval", { model_name: "temp", version: 1, alias: "staging", reason: "staging first, for the QA team" }, ctx));
  const b = await gates();
  assert.deepEqual(
    b.approvals.map((x: { alias?: string; state: string }) => `${x.alias}:${x.state}`),
    ["staging:requested", "production:approved"],
  );
});

step("a new run shows up at once; overrides and approvals are cut at the limit, and the rest counted", async () => {
  const before = await gates();
  const run2 = ok(await runTool("train_model", { dataset_id: "weather", target: "temp_max", features: ["temp_min", "wind"] }, ctx)).run_id;
  const after = await gates({ limit: 1 });
  assert.ok(after.latest.every((r: { subject: { run_id?: string } }) => r.subject.run_id === run2));
  assert.notDeepEqual(before.latest, after.latest);
  assert.equal(after.approvals.length, 1);
  assert.deepEqual(after.omitted, { overrides: 0, approvals: 1 });
});

step("bad input is refused with the field named", async () => {
  const e = err(await runTool("request_approval", { model_name: "temp", version: 9, reason: "a version that is not there" }, ctx));
  assert.equal(e.code, "NOT_FOUND");
  assert.match(e.hint ?? "", /Its versions: 1/);
  const short = err(await runTool("request_approval", { model_name: "temp", version: 1, reason: "pls" }, ctx));
  assert.equal(short.code, "INVALID_INPUT");
  assert.match(short.message, /reason/);
  const alias = err(await runTool("request_approval", { model_name: "temp", version: 1, alias: "../x", reason: "a bad alias name here" }, ctx));
  assert.equal(alias.code, "INVALID_INPUT");
  const limit = err(await runTool("get_gate_reports", { limit: 0 }, ctx));
  assert.equal(limit.code, "INVALID_INPUT");
});
