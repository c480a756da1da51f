import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../../helpers/tempWorkspace.js";
import { createToolContext, runTool, type ToolContext } from "../../../../src/index.js";
import { ok, err } from "../../../helpers/results.js";
import { TrainModelInput } from "../../../../src/tools/trainModel.js";
import { governanceGateForDeploy } from "../../../../src/governance/policy/governanceGateForDeploy.js";
import { renderResultHtml } from "../../../../src/tools/renderResultHtml.js";
import { testSequence } from "../../../helpers/testSequence.js";

let tw: TempWorkspace;
let ctx: ToolContext;

/** Customers whose churn follows tenure and spend (so a model learns it well), with a real-looking email column. */
function customersCsv(rows: number): string {
  let s = 12345;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const names = ["ana", "bo", "chen", "dara", "eli", "femi", "gus", "hana", "ivo", "jae"];
  const domains = ["example.com", "mail.org", "corp.net"];
  const lines = ["customer_id,email,age,tenure_months,monthly_spend,churned"];
  for (let i = 0; i < rows; i++) {
    const age = 18 + Math.floor(rand() * 60);
    const tenure = Math.floor(rand() * 72);
    const spend = Math.round((20 + rand() * 80) * 100) / 100;
    const churned = tenure < 18 && spend > 40 ? "yes" : rand() < 0.05 ? "yes" : "no";
    lines.push(`C${10000 + i},${names[i % 10]}.${names[(i * 7) % 10]}${i}@${domains[i % 3]},${age},${tenure},${spend},${churned}`);
  }
  return lines.join("\n") + "\n";
}

const policy = (text: string) => writeFile(join(tw.dir, "dw.policy.yaml"), text);
const check = (input: Record<string, unknown>) => runTool("check_policy", input, ctx);
/** train_model takes override_reason once the gates are wired into it; the PII model below needs one then. */
const overrideIfGated = "override_reason" in TrainModelInput.shape ? { override_reason: "test fixture: a model trained on a PII feature on purpose" } : {};

before(async () => {
  tw = await makeTempWorkspace();
  ctx = await createToolContext({ cwd: tw.dir, origin: { via: "test" } });
  await writeFile(join(tw.dir, "data", "customers.csv"), customersCsv(300));
  ok(await runTool("load_dataset", { path: "data/customers.csv", dataset_id: "customers" }, ctx));
});
after(async () => tw.cleanup());

test("training check: an email column used as a feature is denied; without it the training is allowed", async () => {
  await rm(join(tw.dir, "dw.policy.yaml"), { force: true });
  const denied = ok(await check({ dataset_id: "customers", target: "churned", features: ["age", "tenure_months", "email"] }));
  assert.equal(denied.gate, "governance");
  assert.equal(denied.decision, "deny");
  assert.equal(denied.status, "fail");
  const f = denied.findings.find((x: { check: string; status: string }) => x.check === "pii_feature" && x.status === "fail");
  assert.equal(f.column, "email");
  assert.equal(f.value, "EMAIL_ADDRESS");
  assert.match(f.message, /Feature 'email' holds EMAIL_ADDRESS .* forbids it as a feature\. Drop it/);
  assert.doesNotMatch(JSON.stringify(denied), /ana\.ana0@example\.com/, "a report never shows a raw value");
  assert.equal(denied.policy_file, null);
  assert.match(renderResultHtml("check_policy", denied) ?? "", /DENY/);

  const allowed = ok(await check({ dataset_id: "customers", target: "churned", features: ["age", "tenure_months", "monthly_spend"] }));
  assert.equal(allowed.decision, "allow");
  assert.equal(allowed.status, "pass");
  assert.deepEqual(allowed.pii, []);
});

test("training check: PII the policy allows is a warning, and the policy file is named", async () => {
  await policy("governance:\n  training:\n    forbidden_pii_features: [US_SSN, CREDIT_CARD]\n");
  const r = ok(await check({ dataset_id: "customers", features: ["age", "email"] }));
  assert.equal(r.decision, "allow");
  assert.equal(r.status, "warn");
  assert.ok(r.findings.some((x: { check: string; column?: string }) => x.check === "pii_feature_allowed" && x.column === "email"));
  assert.match(r.policy_file, /dw\.policy\.yaml$/);
});

const step = testSequence("the deployment check, in order: on real registered versions, then on unknown ones");

step("deployment check on real registered versions: model card, approval, minimum metrics, reviews", async () => {
  await rm(join(tw.dir, "dw.policy.yaml"), { force: true });
  const run = ok(
    await runTool(
      "train_model",
      {
        dataset_id: "customers",
        target: "churned",
        features: ["age", "tenure_months", "monthly_spend"],
        algorithm: "decision_tree",
        hyperparameters: { max_depth: 4 },
      },
      ctx,
    ),
  );
  assert.ok(run.metrics.accuracy > 0.8, `accuracy ${run.metrics.accuracy}`);
  ok(await runTool("register_model", { model_id: run.run_id, model_name: "churn" }, ctx));
  ok(
    await runTool(
      "register_model",
      { model_id: run.run_id, model_name: "churn", description: "Churn risk from tenure and spend, for the retention team." },
      ctx,
    ),
  );

  // Defaults: nothing is required, so any alias is allowed.
  const open = ok(await check({ model_name: "churn", alias: "production" }));
  assert.equal(open.decision, "allow");
  assert.equal(open.subject.version, 2, "the newest version by default");

  await policy(`governance:
  deployment:
    approval_required_aliases: [production]
    min_metrics:
      classification: { accuracy: 0.7 }
    required_model_card_fields: [description]
`);
  const noCard = ok(await check({ model_name: "churn", version: 1, alias: "staging" }));
  assert.equal(noCard.decision, "deny");
  assert.match(noCard.reasons.join(" "), /model card of churn v1 lacks description/);

  const staging = ok(await check({ model_name: "churn", version: 2, alias: "staging" }));
  assert.equal(staging.decision, "allow", staging.reasons.join(" "));
  assert.equal(staging.model_card.description, "Churn risk from tenure and spend, for the retention team.");
  assert.equal(staging.model_card.algorithm, "decision_tree");
  const metric = staging.findings.find((x: { check: string }) => x.check === "min_metric");
  assert.equal(metric.status, "pass");
  assert.equal(metric.value, run.metrics.accuracy);

  const needsReview = ok(await check({ model_name: "churn", version: 2, alias: "production" }));
  assert.equal(needsReview.decision, "review");
  assert.equal(needsReview.status, "fail");
  assert.match(
    needsReview.reasons.join(" "),
    /needs an approved governance review .* request_governance_review --model churn --version 2 --decision approve --alias production/,
  );

  // An approval for staging says nothing about production.
  ok(
    await runTool(
      "request_governance_review",
      { model_name: "churn", version: 2, decision: "approve", alias: "staging", reason: "fine for the staging canary", reviewer: "bob" },
      ctx,
    ),
  );
  assert.equal(ok(await check({ model_name: "churn", version: 2, alias: "production" })).decision, "review");

  ok(
    await runTool(
      "request_governance_review",
      {
        model_name: "churn",
        version: 2,
        decision: "approve",
        alias: "production",
        reason: "Accuracy checked on March data; owner signed off",
        reviewer: "alice",
      },
      ctx,
    ),
  );
  const approved = ok(await check({ model_name: "churn", version: 2, alias: "production" }));
  assert.equal(approved.decision, "allow", approved.reasons.join(" "));
  assert.equal(approved.review.reviewer, "alice");
  assert.equal(approved.review.decision, "approve");
  // The approval is for v2 only.
  assert.equal(ok(await check({ model_name: "churn", version: 1, alias: "production" })).decision, "deny");

  // A later rejection (for every alias) undoes the approval, and denies staging too.
  ok(
    await runTool(
      "request_governance_review",
      { model_name: "churn", version: 2, decision: "reject", reason: "Found label leakage in tenure_months", reviewer: "carol" },
      ctx,
    ),
  );
  for (const alias of ["production", "staging"]) {
    const r = ok(await check({ model_name: "churn", version: 2, alias }));
    assert.equal(r.decision, "deny");
    assert.match(r.reasons.join(" "), /carol rejected churn v2 .*label leakage/);
  }
  ok(
    await runTool(
      "request_governance_review",
      { model_name: "churn", version: 2, decision: "approve", reason: "Leakage ruled out after re-check", reviewer: "carol" },
      ctx,
    ),
  );
  assert.equal(ok(await check({ model_name: "churn", version: 2, alias: "production" })).decision, "allow");

  // Minimum metrics the run does not reach deny, whatever the reviews say; so does a metric it never recorded.
  await policy(`governance:
  deployment:
    min_metrics:
      classification: { accuracy: 0.999, r2: 0.5 }
`);
  const weak = await governanceGateForDeploy(ctx, { model: "churn", version: 2, alias: "production" });
  assert.equal(weak.decision, "deny");
  assert.match(weak.reasons.join(" "), /accuracy = 0\.\d+ does not meet the policy's ≥ 0\.999 for classification/);
  assert.match(weak.reasons.join(" "), /did not record r2/);
});

test("a model trained with a forbidden PII feature ships only after an approved review", async () => {
  await policy("governance:\n  deployment:\n    approval_required_aliases: [production]\n");
  const run = ok(
    await runTool(
      "train_model",
      {
        dataset_id: "customers",
        target: "churned",
        features: ["tenure_months", "monthly_spend", "email"],
        algorithm: "decision_tree",
        hyperparameters: { max_depth: 3 },
        ...overrideIfGated,
      },
      ctx,
    ),
  );
  ok(await runTool("register_model", { model_id: run.run_id, model_name: "churn-pii" }, ctx));
  const r = ok(await check({ model_name: "churn-pii", version: 1, alias: "staging" }));
  assert.equal(r.decision, "review", r.reasons.join(" "));
  assert.match(r.reasons.join(" "), /Trained with forbidden PII features 'email' \(EMAIL_ADDRESS\)/);
  ok(
    await runTool(
      "request_governance_review",
      { model_name: "churn-pii", version: 1, decision: "approve", reason: "Email is hashed downstream; DPO approved", reviewer: "dpo" },
      ctx,
    ),
  );
  const after = ok(await check({ model_name: "churn-pii", version: 1, alias: "staging" }));
  assert.equal(after.decision, "allow");
  assert.equal(after.status, "warn");
});

step("unknown models and versions, and mixed inputs, are clear errors", async () => {
  const e = err(await check({ model_name: "nope" }));
  assert.equal(e.code, "NOT_FOUND");
  assert.match(e.hint!, /churn/);
  const v = err(await check({ model_name: "churn", version: 9 }));
  assert.equal(v.code, "NOT_FOUND");
  assert.match(v.hint!, /Its versions: 1, 2/);
  assert.equal(err(await check({ dataset_id: "customers", model_name: "churn" })).code, "INVALID_INPUT");
  assert.equal(err(await check({})).code, "INVALID_INPUT");
  assert.equal(err(await check({ dataset_id: "customers", features: ["nope"] })).code, "INVALID_INPUT");
  await policy("governance:\n  deployment:\n    min_metrics: {classification: {accuracy: [1]}}\n");
  const c = err(await check({ model_name: "churn" }));
  assert.equal(c.code, "CONFIG_ERROR");
  assert.match(c.message, /line 3, field governance\.deployment\.min_metrics\.classification\.accuracy/);
});
