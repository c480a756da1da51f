import { test } from "node:test";
import assert from "node:assert/strict";
import { errorLines, nextStepsView, stepDispatch, toolOutcomeSummary } from "../../../labextension/src/widgets/nextStepsView.js";
import { NextStep } from "../../../src/comm/protocol.js";

// Each step as suggest_next_steps sends it, checked against the wire contract first.
const step = (v: unknown): NextStep => NextStep.parse(v);

const better = step({
  id: "deploy_better_run:20260101-r12",
  rule: "deploy_better_run",
  title: "Ship run 20260101-r12",
  reason: "run 20260101-r12 has r2 0.91 on its holdout, production (v3) has 0.87",
  action: { kind: "tool", label: "Register and deploy", tool: "productionize", input: { run_id: "20260101-r12", model_name: "temp" } },
  subject: { run_id: "20260101-r12", model: "temp" },
});
const drift = step({
  id: "retrain_on_drift:temp@production",
  rule: "retrain_on_drift",
  title: "Retrain temp@production",
  reason: "temp_min and wind drifted",
  action: { kind: "tool", label: "Retrain", tool: "retrain_model", input: { model_id: "temp@production" } },
  subject: { model: "temp", version: 3, alias: "production" },
});
const approval = step({
  id: "request_approval:temp/4@production",
  rule: "request_approval",
  title: "Ask for approval",
  reason: "@production needs an approval",
  action: {
    kind: "tool",
    label: "Request approval",
    tool: "request_approval",
    input: { model_name: "temp", version: 4, alias: "production", reason: "r2 up" },
  },
  subject: { model: "temp", version: 4, alias: "production" },
});
const report = step({
  id: "review_gate_warning:abc",
  rule: "review_gate_warning",
  title: "Read the quality warning",
  reason: "the quality gate warned",
  action: { kind: "show_report", label: "Show report", gate: "quality", commit: "abc" },
  subject: { run_id: "r9" },
});

test("productionize opens the Productionize dialog with the run and model, not a bare tool call", () => {
  assert.deepEqual(stepDispatch(better), { kind: "command", command: "dw:productionize", args: { run_id: "20260101-r12", model_name: "temp" } });
  // A step whose input leaves the run to its subject still names it.
  const bare = step({ ...better, action: { ...better.action, input: {} } });
  assert.deepEqual(stepDispatch(bare), { kind: "command", command: "dw:productionize", args: { run_id: "20260101-r12", model_name: "temp" } });
});

test("retrain_model runs the retrain command for name@alias; a report opens the Gates panel", () => {
  assert.deepEqual(stepDispatch(drift), { kind: "command", command: "dw:retrain-model", args: { model_id: "temp@production" } });
  const fromSubject = step({ ...drift, action: { ...drift.action, input: { and_then: "ab_test" } } });
  assert.deepEqual(stepDispatch(fromSubject), { kind: "command", command: "dw:retrain-model", args: { model_id: "temp@production", and_then: "ab_test" } });
  assert.deepEqual(stepDispatch(report), { kind: "command", command: "dw:show-panel", args: { panel: "gates" } });
});

test("any other tool is called as given, with a copy of its input", () => {
  const d = stepDispatch(approval);
  assert.deepEqual(d, { kind: "tool", tool: "request_approval", input: { model_name: "temp", version: 4, alias: "production", reason: "r2 up" } });
  assert.notEqual(d.kind === "tool" ? d.input : null, approval.action.kind === "tool" ? approval.action.input : null);
});

test("steps keep the kernel's order, with their labels and a subject line", () => {
  const view = nextStepsView([drift, better, report], { runs: 3, models: 1, endpoints: 1 });
  assert.equal(view.kind, "steps");
  if (view.kind !== "steps") return;
  assert.deepEqual(
    view.steps.map((s) => [s.id, s.button, s.subject]),
    [
      ["retrain_on_drift:temp@production", "Retrain", "model temp v3 @production"],
      ["deploy_better_run:20260101-r12", "Register and deploy", "model temp · run 20260101-r12"],
      ["review_gate_warning:abc", "Show report", "run r9"],
    ],
  );
  assert.equal(view.steps[1].reason, "run 20260101-r12 has r2 0.91 on its holdout, production (v3) has 0.87");
});

test("with no step the panel says what to do first, by how far the workspace has come", () => {
  const first = nextStepsView([], { runs: 0, models: 0, endpoints: 0 });
  assert.equal(first.kind === "empty" && first.headline, "Nothing trained yet.");
  assert.ok(first.kind === "empty" && first.lines.some((l) => l.startsWith("%dw train_model")));
  // Nothing trained and no answer from an older kernel: still the first steps.
  assert.equal(nextStepsView(null, { runs: 0, models: 0, endpoints: 0 }).kind === "empty", true);
  const old = nextStepsView(null, { runs: 2, models: 1, endpoints: 0 });
  assert.equal(old.kind === "empty" && old.headline, "No suggestions from the kernel.");
  const calm = nextStepsView([], { runs: 2, models: 1, endpoints: 1 });
  assert.ok(calm.kind === "empty" && calm.headline === "Nothing to do right now." && /endpoint is healthy/.test(calm.detail));
  const noEndpoint = nextStepsView([], { runs: 2, models: 0, endpoints: 0 });
  assert.ok(noEndpoint.kind === "empty" && /productionize a run/.test(noEndpoint.detail));
});

test("an outcome is the tool's own summary when it gives one; an error shows message, hint and code", () => {
  assert.equal(toolOutcomeSummary("request_approval", { summary: " Requested approval of temp v4. ", id: 1 }), "Requested approval of temp v4.");
  assert.equal(toolOutcomeSummary("request_approval", { note: "recorded" }), "recorded");
  assert.equal(toolOutcomeSummary("x_tool", { ok: true }), "x_tool finished.");
  const commit = "0123456789abcdef0123456789abcdef01234567";
  assert.equal(
    toolOutcomeSummary("request_approval", { commit, ref: "refs/dw/reviews/temp/2" }),
    "request_approval recorded commit 0123456789ab on refs/dw/reviews/temp/2.",
  );
  assert.equal(toolOutcomeSummary("x_tool", { commit: "not a commit" }), "x_tool finished.");
  assert.deepEqual(errorLines({ code: "GATE_FAILED", message: "blocked", hint: "override it" }), ["blocked", "override it", "code: GATE_FAILED"]);
  assert.deepEqual(errorLines({ code: "NOT_FOUND", message: "gone" }), ["gone", "code: NOT_FOUND"]);
});
