import { test } from "node:test";
import assert from "node:assert/strict";
import { gatesView, reviewInput, subjectText } from "../../../labextension/src/widgets/gatesView.js";
import { GateActivity } from "../../../src/comm/protocol.js";

// What the Gates panel shows for get_gate_reports' activity, checked against the contract first.

const activity = GateActivity.parse({
  latest: [
    {
      gate: "governance",
      status: "fail",
      summary: "1 of 4 rules failed",
      checked_at: "2026-12-04T14:02:03Z",
      findings: [
        { check: "model_card", status: "warn", message: "no model card" },
        { check: "approved_library", status: "pass", message: "ok" },
        { check: "pii_feature", status: "fail", message: "feature 'email' holds e-mail addresses", column: "email" },
        { check: "license", status: "pass", message: "ok" },
      ],
      subject: { step: "deploy_model", model: "churn", version: 2, alias: "production", commit: "c".repeat(40) },
    },
    {
      gate: "quality",
      status: "pass",
      summary: "12 checks passed",
      checked_at: "2026-12-04T14:00:00Z",
      findings: [],
      subject: { step: "train_model", run_id: "20261204-140000-aaaaaa", commit: "d".repeat(40) },
    },
  ],
  overrides: [
    {
      by: "Ada <ada@example.com>",
      reason: "emails are hashed upstream; DPO ok",
      at: "2026-12-04T14:05:00Z",
      gates: ["governance"],
      findings: [{ gate: "governance", check: "pii_feature", message: "feature 'email' holds e-mail addresses" }],
      subject: { step: "deploy_model", model: "churn", version: 2, alias: "production", commit: "e".repeat(40) },
    },
  ],
  approvals: [
    {
      model: "churn",
      version: 3,
      alias: "production",
      state: "requested",
      by: "Bob",
      reason: "beats v2 on AUC",
      at: "2026-12-04T15:00:00Z",
      commit: "f".repeat(40),
    },
    { model: "churn", version: 2, state: "approved", by: "Ada", reason: "bias audit GOV-12", at: "2026-12-03T09:00:00Z", commit: "1".repeat(40) },
  ],
});

test("the newest reports list the failures first, then the warnings, and count the checks that passed", () => {
  const view = gatesView(activity);
  const [gov, quality] = view.reports;
  assert.equal(gov.subject, "deploy_model · churn v2 @production");
  assert.equal(gov.when, "2026-12-04 14:02");
  assert.deepEqual(gov.findings, [
    { status: "fail", text: "pii_feature (email): feature 'email' holds e-mail addresses" },
    { status: "warn", text: "model_card: no model card" },
  ]);
  assert.equal(gov.passed, 2);
  assert.equal(quality.subject, "train_model · run 20261204-140000-aaaaaa");
  assert.deepEqual(quality.findings, []);
});

test("an override says who let which gate through, why, on what and when", () => {
  const [o] = gatesView(activity).overrides;
  assert.equal(o.headline, "Ada <ada@example.com> let governance through");
  assert.equal(o.reason, "emails are hashed upstream; DPO ok");
  assert.equal(o.subject, "deploy_model · churn v2 @production");
  assert.deepEqual(o.findings, ["governance · pii_feature: feature 'email' holds e-mail addresses"]);
});

test("pending requests are apart from decided reviews; a review without an alias holds for every alias", () => {
  const view = gatesView(activity);
  assert.deepEqual(
    view.pending.map((a) => [a.target, a.byline, a.key]),
    [["churn v3 @production", "requested by Bob", "churn/3/production"]],
  );
  assert.deepEqual(
    view.decided.map((a) => [a.target, a.byline, a.review]),
    [["churn v2 (every alias)", "approved by Ada", { model_name: "churn", version: 2 }]],
  );
});

test("Approve and Reject send request_governance_review the version, alias, decision and a reason of 10 characters or more", () => {
  const [pending] = gatesView(activity).pending;
  assert.deepEqual(reviewInput(pending, "approve", "  AUC 0.91, audit attached  "), {
    ok: true,
    input: { model_name: "churn", version: 3, alias: "production", decision: "approve", reason: "AUC 0.91, audit attached" },
  });
  const short = reviewInput(pending, "reject", " too bad ");
  assert.equal(short.ok, false);
  assert.match(!short.ok ? short.message : "", /at least 10 characters \(7 so far\)/);
});

test("the view's key changes with the activity, so the panel redraws only then", () => {
  const again = gatesView(GateActivity.parse(JSON.parse(JSON.stringify(activity))));
  assert.equal(again.key, gatesView(activity).key);
  assert.notEqual(gatesView({ ...activity, overrides: [] }).key, again.key);
});

test("a subject with neither run nor model is just its step", () => {
  assert.equal(subjectText({ step: "register_model", commit: "x" }), "register_model");
  assert.equal(subjectText({ step: "register_model", model: "m", version: 1, run_id: "r", commit: "x" }), "register_model · m v1, run r");
});
