import { test } from "node:test";
import assert from "node:assert/strict";
import {
  applyStep,
  blockedView,
  formatSeconds,
  plannedRows,
  reasonShortBy,
  rowsFromSteps,
  stepsOfError,
} from "../../../labextension/src/widgets/ProductionizeStepsView.js";
import type { ErrorPayload, StepProgress } from "../../../src/comm/protocol.js";

// What the Productionize dialog shows for the steps and errors productionize sends, shaped as the
// tool sends them (the values of a real run of the PII scenario in productionizeSteps.integration.test.ts).

const passed = (name: string, detail: string, seconds = 0.01): StepProgress => ({ name, status: "passed", seconds, detail });
const before: StepProgress[] = [
  passed("snapshot", "run 20261204-135830-a1b2c3 at commit 1a2b3c4: linear_regression on customers, its notebook (q.ipynb) is recorded."),
  {
    name: "quality",
    status: "overridden",
    seconds: 0.004,
    detail:
      "Quality of 'customers' (120 rows, 4 columns): fail, score 93.8, 1 failed. Overridden at training by Ada: a model trained on the e-mail column on purpose",
  },
  passed("cost", "Predicted 0.1 s and 2 MiB: within the policy's limits."),
  passed("register", "registered as monthly_spend v1 (named after the run's target 'monthly_spend')."),
  { name: "governance", status: "failed", seconds: 0.02, detail: "monthly_spend v1 may not be served as production: …" },
];
const gateFailed: ErrorPayload = {
  code: "GATE_FAILED",
  message: "monthly_spend v1 may not be served as production: the governance gate decided review. Trained with forbidden PII features 'email' (EMAIL) …",
  hint: "An approval is missing: ask for one with request_approval (model_name monthly_spend, version 1, alias production), or pass override_reason …",
  details: {
    report: { status: "fail", gates: [] },
    blocking: [
      {
        gate: "governance",
        check: "pii_feature",
        message: "Trained with forbidden PII features 'email' (EMAIL) (from the training's governance report); it ships only with an approved review.",
      },
    ],
    model_name: "monthly_spend",
    version: 1,
    alias: "production",
    decision: "review",
    reasons: ["Trained with forbidden PII features 'email' (EMAIL) …"],
    steps: before,
  },
};

test("every step is pending until the kernel reports it, then running, then how it ended, in the planned order", () => {
  let rows = plannedRows();
  assert.deepEqual(
    rows.map((r) => `${r.name}:${r.status}`),
    ["snapshot", "quality", "cost", "register", "governance", "deploy", "monitoring"].map((n) => `${n}:pending`),
  );
  rows = applyStep(rows, { name: "snapshot", status: "running" });
  assert.deepEqual(rows[0], { name: "snapshot", status: "running" });
  rows = applyStep(rows, before[0]);
  assert.deepEqual(rows[0], before[0]);
  assert.equal(rows.length, 7);
  // A step the plan does not know (a newer kernel) still shows, at the end.
  rows = applyStep(rows, { name: "canary", status: "skipped", seconds: 0, detail: "no canary alias" });
  assert.deepEqual(rows.at(-1), { name: "canary", status: "skipped", seconds: 0, detail: "no canary alias" });
  assert.equal(rows.length, 8);
});

test("the steps an error carries fill the rows; the ones never reached stay pending", () => {
  const steps = stepsOfError(gateFailed);
  assert.deepEqual(steps, before);
  const rows = rowsFromSteps(plannedRows(), steps);
  assert.deepEqual(
    rows.map((r) => `${r.name}:${r.status}`),
    ["snapshot:passed", "quality:overridden", "cost:passed", "register:passed", "governance:failed", "deploy:pending", "monitoring:pending"],
  );
  // Steps that do not parse are left out, and an error without steps has none.
  assert.deepEqual(stepsOfError({ ...gateFailed, details: { steps: [{ name: "x", status: "exploded" }, before[0]] } }), [before[0]]);
  assert.deepEqual(stepsOfError({ code: "NOT_FOUND", message: "No run" }), []);
});

test("a governance block shows its reasons, and offers a request for approval when an approval is what is missing", () => {
  const view = blockedView(gateFailed);
  assert.ok(view);
  assert.deepEqual(view.gates, ["governance"]);
  assert.deepEqual(view.reasons, [
    {
      gate: "governance",
      check: "pii_feature",
      message: "Trained with forbidden PII features 'email' (EMAIL) (from the training's governance report); it ships only with an approved review.",
    },
  ]);
  assert.deepEqual(view.target, { model_name: "monthly_spend", version: 1, alias: "production" });
  assert.equal(view.approvalHelps, true);
  assert.match(view.hint!, /request_approval/);

  // A rule broken (deny): an approval would not lift it, so only the override is offered.
  const deny = blockedView({ ...gateFailed, details: { ...gateFailed.details, decision: "deny" } });
  assert.equal(deny?.approvalHelps, false);
  // Without the version it judged, no request can be made.
  const bare = blockedView({ code: "GATE_FAILED", message: "deploy_model is blocked by the governance gate: …" });
  assert.deepEqual(bare, { gates: ["gate"], reasons: [{ gate: "gate", message: "deploy_model is blocked by the governance gate: …" }], approvalHelps: false });
  // Any other error is not a block.
  assert.equal(blockedView({ code: "DATA_ERROR", message: "temp v1 cannot be served" }), null);
});

test("a reason is sent only with at least 10 characters, spaces around it not counted", () => {
  assert.equal(reasonShortBy(""), 10);
  assert.equal(reasonShortBy("   because  "), 3);
  assert.equal(reasonShortBy("hashed upstream"), 0);
  assert.equal(reasonShortBy("0123456789"), 0);
});

test("seconds read well at every size", () => {
  assert.equal(formatSeconds(0), "0.00 s");
  assert.equal(formatSeconds(0.4217), "0.42 s");
  assert.equal(formatSeconds(12.34), "12.3 s");
  assert.equal(formatSeconds(125.2), "2 min 5 s");
});
