import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { makeTempWorkspace, type TempWorkspace } from "../../helpers/tempWorkspace.js";
import { openWorkspace, type Workspace } from "../../../src/workspace/Workspace.js";
import { isDwError } from "../../../src/errors/DwError.js";
import { readPolicySection } from "../../../src/policy/readPolicySection.js";
import { GovernancePolicy, governanceAllowed, metricBound } from "../../../src/governance/policy/GovernancePolicy.js";
import { CostPolicy, costAllowed } from "../../../src/cost/CostPolicy.js";
import { PII_ENTITIES } from "../../../src/governance/pii/PiiFinding.js";

let tw: TempWorkspace;
let ws: Workspace;
before(async () => {
  tw = await makeTempWorkspace();
  ws = await openWorkspace(tw.dir);
});
after(async () => tw.cleanup());

const writePolicy = (text: string) => writeFile(join(tw.dir, "dw.policy.yaml"), text);
const governance = () => readPolicySection(ws, "governance", GovernancePolicy, governanceAllowed);
const cost = () => readPolicySection(ws, "cost", CostPolicy, costAllowed);

async function configError(read: () => Promise<unknown>): Promise<{ message: string; hint?: string; details?: Record<string, unknown> }> {
  try {
    await read();
  } catch (e) {
    if (isDwError(e) && e.code === "CONFIG_ERROR") return { message: e.message, hint: e.hint, details: e.details };
    throw e;
  }
  assert.fail("expected a CONFIG_ERROR");
}

test("no policy file: every section takes its defaults", async () => {
  await rm(join(tw.dir, "dw.policy.yaml"), { force: true });
  const g = await governance();
  assert.equal(g.file, null);
  assert.deepEqual(g.policy.training.forbidden_pii_features, [...PII_ENTITIES]);
  assert.deepEqual(g.policy.deployment.approval_required_aliases, []);
  const c = await cost();
  assert.equal(c.policy.on_exceed, "warn");
  assert.equal(c.policy.max_train_seconds, 3600);
  assert.ok(c.policy.max_peak_memory_gb > 0);
});

test("a full policy is read, and the quality: section (another owner's) is left alone", async () => {
  await writePolicy(`# project policy
quality:
  null_rate: { warn: 0.05, fail: 0.5 }
  anything_the_quality_gate_wants: true
governance:
  training:
    forbidden_pii_features: [EMAIL_ADDRESS, US_SSN]
    min_confidence: 0.7
  deployment:
    approval_required_aliases: [production]
    min_metrics:
      classification: { accuracy: 0.8 }
      regression: { r2: 0.5, rmse: 3.0, mae: { max: 2 } }
    required_model_card_fields: [description]
cost:
  max_train_seconds: 60
  max_peak_memory_gb: 2
  price_per_hour_usd: 0.4
  max_cost_usd: 0.01
  on_exceed: block
`);
  const g = await governance();
  assert.match(g.file!, /dw\.policy\.yaml$/);
  assert.deepEqual(g.policy.training.forbidden_pii_features, ["EMAIL_ADDRESS", "US_SSN"]);
  assert.equal(g.policy.training.min_confidence, 0.7);
  assert.deepEqual(g.policy.deployment.approval_required_aliases, ["production"]);
  // A bare number is a minimum, except for error metrics, where it is a maximum.
  assert.deepEqual(metricBound("r2", g.policy.deployment.min_metrics.regression.r2), { min: 0.5 });
  assert.deepEqual(metricBound("rmse", g.policy.deployment.min_metrics.regression.rmse), { max: 3 });
  assert.deepEqual(metricBound("mae", g.policy.deployment.min_metrics.regression.mae), { max: 2 });
  const c = await cost();
  assert.equal(c.policy.on_exceed, "block");
  assert.equal(c.policy.max_cost_usd, 0.01);
});

test("a wrong value: the error names the file, the line, the field path and what is allowed", async () => {
  await writePolicy(`governance:
  training:
    forbidden_pii_features:
      - EMAIL_ADDRESS
      - SOCIAL_SECURITY
`);
  const e = await configError(governance);
  assert.match(e.message, /^dw\.policy\.yaml, line 5, field governance\.training\.forbidden_pii_features\.1: /);
  assert.match(e.hint!, /Allowed entities: EMAIL_ADDRESS, PHONE_NUMBER/);
  assert.equal(e.details!.line, 5);
  assert.equal(e.details!.field, "governance.training.forbidden_pii_features.1");
  assert.match(String(e.details!.file), /dw\.policy\.yaml$/);
});

test("a metric bound that is not a number is reported at its line", async () => {
  await writePolicy(`governance:
  deployment:
    min_metrics:
      classification:
        accuracy: high
`);
  const e = await configError(governance);
  assert.match(e.message, /line 5, field governance\.deployment\.min_metrics\.classification\.accuracy/);
  assert.match(e.hint!, /a number or \{min: x, max: y\}/);
});

test("an unknown field is named, at the line of its key", async () => {
  await writePolicy(`governance:
  deployment:
    approval_required_aliases: [production]
    aproval_reviewers: [alice]
`);
  const e = await configError(governance);
  assert.match(e.message, /line 4, field governance\.deployment\.aproval_reviewers: unknown field 'aproval_reviewers'/);
  assert.match(e.hint!, /deployment: takes approval_required_aliases, min_metrics and required_model_card_fields/);
});

test("cost: a bad on_exceed and a max cost without a price are refused with their lines", async () => {
  await writePolicy(`cost:
  max_train_seconds: 10
  on_exceed: stop
`);
  let e = await configError(cost);
  assert.match(e.message, /line 3, field cost\.on_exceed/);
  assert.match(e.hint!, /warn or block/);
  await writePolicy(`cost:
  max_train_seconds: 10
  max_cost_usd: 2
`);
  e = await configError(cost);
  assert.match(e.message, /line 3, field cost\.max_cost_usd: max_cost_usd needs price_per_hour_usd/);
  await writePolicy(`cost:
  max_train_seconds: -5
`);
  e = await configError(cost);
  assert.match(e.message, /line 2, field cost\.max_train_seconds/);
});

test("a section that is not a mapping is refused where it is", async () => {
  await writePolicy(`governance: [production]\n`);
  const e = await configError(governance);
  assert.match(e.message, /line 1, field governance/);
});
